//! Unit tests of the LrtVault on motsu, wired to the real StrategyManager, DelegationManager,
//! RewardsCoordinator and mock token, and to the mock AllocationManager (magnitudes; its `slash`
//! reports to the DelegationManager like the real one).
//!
//! motsu has no real `DELEGATECALL` and a fixed clock, so the DelegationManager's withdrawal
//! queue (its extension module) is out of reach here: processing, completing and claiming batches
//! run on the devnode with every contract's real WASM (`tests/tests/lrt.rs`). Extension methods of
//! the vault are plain methods here, called directly on the same storage.

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{uint, Address, B256, U256};
use alloy_sol_types::SolError;
use delegation_manager::DelegationManager;
use mock_allocation_manager::MockAllocationManager;
use mock_token::{MockToken, KIND_STANDARD};
use motsu::prelude::*;
use proptest::prelude::*;
use restaking_abi::{abi::ILrtVault, merkle};
use rewards_coordinator::RewardsCoordinator;
use strategy_manager::StrategyManager;

use super::*;

const NOW: u64 = 1_735_689_600;
const DAY: u64 = 86_400;
/// The vaults' profit unlock period: one week.
const UNLOCK_PERIOD: u32 = 7 * 86_400;
const ETHER: U256 = uint!(1_000_000_000_000_000_000_U256);
const CAP: U256 = uint!(1_000_000_000_000_000_000_000_U256);
const ALICE: Address = Address::repeat_byte(0xA1);
const BOB: Address = Address::repeat_byte(0xB0);
const CAROL: Address = Address::repeat_byte(0xC0);
const CURATOR: Address = Address::repeat_byte(0xCC);
const TREASURY: Address = Address::repeat_byte(0x7E);
const OPERATOR: Address = Address::repeat_byte(0x0F);
const UPDATER: Address = Address::repeat_byte(0x0D);
/// Any non-zero address: the unit tests never go through the fallbacks.
/// An address without code: refused as a module. (motsu has no DELEGATECALL, so the unit tests
/// never go through the fallbacks; deployed peers stand in for the modules.)
const EXTENSION: Address = Address::repeat_byte(0xEE);

struct World<'a> {
    vault: &'a Contract<LrtVault>,
    sm: &'a Contract<StrategyManager>,
    dm: &'a Contract<DelegationManager>,
    am: &'a Contract<MockAllocationManager>,
    rc: &'a Contract<RewardsCoordinator>,
    token: &'a Contract<MockToken>,
    owner: Address,
}

fn setup<'a>(
    vault: &'a Contract<LrtVault>,
    sm: &'a Contract<StrategyManager>,
    dm: &'a Contract<DelegationManager>,
    am: &'a Contract<MockAllocationManager>,
    rc: &'a Contract<RewardsCoordinator>,
    token: &'a Contract<MockToken>,
    owner: Address,
) -> World<'a> {
    dm.sender(owner)
        .constructor(owner, 10, dm.address())
        .motsu_unwrap();
    dm.sender(owner)
        .initialize(sm.address(), am.address())
        .motsu_unwrap();
    sm.sender(owner).constructor(owner).motsu_unwrap();
    sm.sender(owner)
        .initialize(dm.address(), am.address())
        .motsu_unwrap();
    am.sender(owner).set_delegation_manager(dm.address());
    token
        .sender(owner)
        .constructor("Staked Ether".into(), "stETH".into(), 18, KIND_STANDARD, 0)
        .motsu_unwrap();
    sm.sender(owner)
        .set_strategy_whitelist(token.address(), true)
        .motsu_unwrap();
    rc.sender(owner)
        .constructor(
            owner,
            sm.address(),
            UPDATER,
            u32::try_from(DAY).unwrap(),
            u32::try_from(30 * DAY).unwrap(),
            u32::try_from(90 * DAY).unwrap(),
            u32::try_from(30 * DAY).unwrap(),
            0,
            0,
        )
        .motsu_unwrap();
    let w = World {
        vault,
        sm,
        dm,
        am,
        rc,
        token,
        owner,
    };
    w.construct(token.address(), CURATOR, 1_000).motsu_unwrap();
    w
}

impl World<'_> {
    fn construct(&self, asset: Address, curator: Address, fee: u16) -> Result<(), Error> {
        self.construct_unlocking(asset, curator, fee, UNLOCK_PERIOD)
    }

    fn construct_unlocking(
        &self,
        asset: Address,
        curator: Address,
        fee: u16,
        period: u32,
    ) -> Result<(), Error> {
        self.vault.sender(self.owner).constructor(
            self.owner,
            asset,
            String::from("Restaked stETH"),
            String::from("rstETH"),
            [
                self.sm.address(),
                self.dm.address(),
                self.am.address(),
                self.rc.address(),
            ],
            [self.rc.address(), self.sm.address(), self.dm.address()],
            curator,
            TREASURY,
            fee,
            CAP,
            period,
        )
    }

    fn fund(&self, who: Address, amount: U256) {
        self.token.sender(who).mint(who, amount).motsu_unwrap();
        self.token
            .sender(who)
            .approve(self.vault.address(), U256::MAX);
    }

    fn deposit(&self, who: Address, amount: U256) -> U256 {
        self.fund(who, amount);
        self.vault.sender(who).deposit(amount, who).motsu_unwrap()
    }

    fn total_assets(&self) -> U256 {
        self.vault.sender(self.owner).total_assets().motsu_unwrap()
    }

    fn supply(&self) -> U256 {
        self.vault.sender(self.owner).total_supply()
    }

    fn shares(&self, who: Address) -> U256 {
        self.vault.sender(who).balance_of(who)
    }

    /// Price as the exact fraction `(T+1, N+V)`, `N` the shares and the locked profit shares.
    fn price(&self) -> (U256, U256) {
        let locked = self
            .vault
            .sender(self.owner)
            .locked_profit()
            .motsu_unwrap()
            .0;
        (
            self.total_assets() + U256::from(1),
            self.supply() + locked + VIRTUAL_SHARES,
        )
    }

    fn delegate(&self) {
        self.dm
            .sender(OPERATOR)
            .register_as_operator(Address::ZERO, 0, String::from("ipfs://op"))
            .motsu_unwrap();
        self.vault
            .sender(CURATOR)
            .set_curator_operator(OPERATOR, no_signature(), B256::ZERO)
            .motsu_unwrap();
    }

    /// Posts a root paying the vault `amount` (cumulative) of `token`, returns the claim.
    fn reward_root(&self, token: Address, amount: U256) -> RewardsMerkleClaim {
        let token_leaf = merkle::token_leaf_hash(token, amount);
        let token_root = merkle::root(&[token_leaf]);
        let earner_leaf = merkle::earner_leaf_hash(self.vault.address(), token_root);
        self.rc
            .sender(UPDATER)
            .submit_root(merkle::root(&[earner_leaf]), NOW - DAY)
            .motsu_unwrap();
        RewardsMerkleClaim {
            rootIndex: 0,
            earnerIndex: 0,
            earnerTreeProof: merkle::proof(&[earner_leaf], 0).unwrap().into(),
            earnerLeaf: EarnerTreeMerkleLeaf {
                earner: self.vault.address(),
                earnerTokenRoot: token_root,
            },
            tokenIndices: vec![0],
            tokenTreeProofs: vec![merkle::proof(&[token_leaf], 0).unwrap().into()],
            tokenLeaves: vec![TokenTreeMerkleLeaf {
                token,
                cumulativeEarnings: amount,
            }],
        }
    }
}

fn no_signature() -> SignatureWithExpiry {
    SignatureWithExpiry {
        signature: alloy_primitives::Bytes::new(),
        expiry: U256::ZERO,
    }
}

fn expect_err<T: core::fmt::Debug>(r: Result<T, Error>, want: impl Into<Error>) {
    let got: Vec<u8> = r.motsu_unwrap_err().into();
    let want: Vec<u8> = want.into().into();
    assert_eq!(got, want);
}

fn mul_div(x: U256, y: U256, d: U256, rounding: Rounding) -> U256 {
    math::mul_div(x, y, d, rounding).unwrap()
}

#[motsu::test]
fn constructor_sets_metadata_roles_and_lets_the_strategy_manager_pull(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    let v = vault.sender(owner);
    assert_eq!(v.name(), "Restaked stETH");
    assert_eq!(v.symbol(), "rstETH");
    assert_eq!(v.decimals(), 21);
    assert_eq!(v.asset(), token.address());
    assert_eq!(v.share(), vault.address());
    assert_eq!(v.curator(), CURATOR);
    assert_eq!(v.treasury(), TREASURY);
    assert_eq!(v.performance_fee(), 1_000);
    assert_eq!(v.deposit_cap(), CAP);
    assert_eq!(v.current_batch(), U256::from(1));
    assert_eq!(v.delegated_operator().unwrap(), Address::ZERO);
    assert_eq!(v.admin.owner(), owner);
    assert_eq!(v.extension(), rc.address());
    assert_eq!(v.admin_module(), sm.address());
    assert_eq!(v.views_module(), dm.address());
    assert_eq!(
        token.sender(owner).allowance(vault.address(), sm.address()),
        U256::MAX
    );
    vault.assert_emitted(&ILrtVault::CuratorSet { curator: CURATOR });
    vault.assert_emitted(&ILrtVault::TreasurySet { treasury: TREASURY });
    vault.assert_emitted(&ILrtVault::PerformanceFeeSet { feeBips: 1_000 });
    vault.assert_emitted(&ILrtVault::VaultCapSet { cap: CAP });
    // An empty vault: zero assets, one share worth one asset unit per 1e3 share units.
    assert_eq!(w.total_assets(), U256::ZERO);
    assert_eq!(v.get_rate().motsu_unwrap(), ETHER);
}

#[motsu::test]
fn constructor_refuses_zero_roles_a_fee_above_the_maximum_and_a_bad_unlock_period(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    expect_err(w.construct(Address::ZERO, CURATOR, 0), ZeroAddress {});
    let no_code = vault.sender(owner).constructor(
        owner,
        token.address(),
        String::from("Restaked stETH"),
        String::from("rstETH"),
        [sm.address(), dm.address(), am.address(), rc.address()],
        [rc.address(), dm.address(), EXTENSION],
        CURATOR,
        TREASURY,
        0,
        CAP,
        UNLOCK_PERIOD,
    );
    expect_err(no_code, ModuleWithoutCode { module: EXTENSION });
    // Profit must unlock over a period: not at once, not over more than 30 days.
    for period in [0, 30 * 86_400 + 1] {
        expect_err(
            w.construct_unlocking(token.address(), CURATOR, 0, period),
            InvalidUnlockPeriod {
                period,
                max: 30 * 86_400,
            },
        );
    }
    expect_err(
        w.construct(token.address(), Address::ZERO, 0),
        ZeroAddress {},
    );
    expect_err(
        w.construct(token.address(), CURATOR, 2_001),
        BipsTooHigh {
            bips: 2_001,
            max: 2_000,
        },
    );
}

#[motsu::test]
fn deposits_mint_at_the_virtual_share_price_and_stake_everything(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    let ten = ETHER * U256::from(10);
    assert_eq!(
        vault.sender(ALICE).preview_deposit(ten).motsu_unwrap(),
        ten * U256::from(1_000)
    );
    let shares = w.deposit(ALICE, ten);
    assert_eq!(shares, uint!(10_000_000_000_000_000_000_000_U256));
    assert_eq!(w.shares(ALICE), shares);
    assert_eq!(w.total_assets(), ten);
    assert_eq!(
        sm.sender(owner)
            .deposit_shares(vault.address(), token.address()),
        ten
    );
    assert_eq!(token.sender(owner).balance_of(vault.address()), U256::ZERO);
    vault.assert_emitted(&ILrtVault::Deposit {
        sender: ALICE,
        owner: ALICE,
        assets: ten,
        shares,
    });
    vault.assert_emitted(&ILrtVault::Transfer {
        from: Address::ZERO,
        to: ALICE,
        value: shares,
    });
    // The second deposit pays (T+1)/(N+V) per share: 5e18·(1e22+1e3)/(1e19+1), exactly 5e21.
    w.fund(BOB, ETHER * U256::from(5));
    let bob = vault
        .sender(BOB)
        .deposit(ETHER * U256::from(5), CAROL)
        .motsu_unwrap();
    assert_eq!(bob, uint!(5_000_000_000_000_000_000_000_U256));
    assert_eq!(w.shares(CAROL), bob);
    assert_eq!(w.shares(BOB), U256::ZERO);
    // Mint charges the assets rounded up: 7 share units cost ⌈7·(15e18+1)/(15e21+1e3)⌉ = 1.
    let (t1, n1) = w.price();
    assert_eq!(
        vault.sender(BOB).preview_mint(U256::from(7)).motsu_unwrap(),
        U256::from(1)
    );
    w.fund(BOB, ETHER);
    let cost = vault
        .sender(BOB)
        .mint(U256::from(1_000), BOB)
        .motsu_unwrap();
    assert_eq!(cost, mul_div(U256::from(1_000), t1, n1, Rounding::Up));
    assert_eq!(cost, U256::from(1));
    assert_eq!(w.shares(BOB), U256::from(1_000));
    assert_eq!(
        vault
            .sender(BOB)
            .convert_to_assets(U256::from(1_000))
            .motsu_unwrap(),
        U256::from(1)
    );
    assert_eq!(
        vault.sender(BOB).max_deposit(BOB).motsu_unwrap(),
        CAP - w.total_assets()
    );
}

#[motsu::test]
fn refused_deposits_change_nothing(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    w.deposit(ALICE, ETHER);
    w.fund(BOB, CAP * U256::from(2));
    let before = (w.total_assets(), w.supply(), w.shares(BOB));
    expect_err(vault.sender(BOB).deposit(U256::ZERO, BOB), ZeroAmount {});
    expect_err(vault.sender(BOB).mint(U256::ZERO, BOB), ZeroAmount {});
    expect_err(
        vault.sender(BOB).deposit(ETHER, Address::ZERO),
        ZeroAddress {},
    );
    expect_err(
        vault.sender(BOB).deposit(CAP, BOB),
        VaultCapExceeded {
            cap: CAP,
            totalAssetsAfter: CAP + ETHER,
        },
    );
    expect_err(
        vault.sender(BOB).mint(CAP * U256::from(1_000), BOB),
        VaultCapExceeded {
            cap: CAP,
            totalAssetsAfter: CAP + ETHER,
        },
    );
    // Not enough of the asset: the token's own error inside TokenTransferFailed.
    let err: Vec<u8> = vault
        .sender(CAROL)
        .deposit(ETHER, CAROL)
        .motsu_unwrap_err()
        .into();
    assert!(err.starts_with(&TokenTransferFailed::SELECTOR));
    vault
        .sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::VAULT_DEPOSITS)))
        .motsu_unwrap();
    assert_eq!(
        vault.sender(BOB).max_deposit(BOB).motsu_unwrap(),
        U256::ZERO
    );
    assert_eq!(vault.sender(BOB).max_mint(BOB).motsu_unwrap(), U256::ZERO);
    let paused = ActionPaused {
        bit: pause::VAULT_DEPOSITS,
    };
    expect_err(vault.sender(BOB).deposit(ETHER, BOB), paused.clone());
    expect_err(vault.sender(BOB).mint(ETHER, BOB), paused);
    assert_eq!((w.total_assets(), w.supply(), w.shares(BOB)), before);
}

#[motsu::test]
fn shares_move_within_balances_and_allowances(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    let shares = w.deposit(ALICE, ETHER);
    assert!(vault
        .sender(ALICE)
        .transfer(BOB, U256::from(400))
        .motsu_unwrap());
    vault.assert_emitted(&ILrtVault::Transfer {
        from: ALICE,
        to: BOB,
        value: U256::from(400),
    });
    expect_err(
        vault.sender(BOB).transfer(CAROL, U256::from(401)),
        InsufficientBalance {
            owner: BOB,
            have: U256::from(400),
            want: U256::from(401),
        },
    );
    expect_err(
        vault.sender(BOB).transfer(Address::ZERO, U256::from(1)),
        ZeroAddress {},
    );
    expect_err(
        vault.sender(BOB).approve(Address::ZERO, U256::from(1)),
        ZeroAddress {},
    );
    assert!(vault
        .sender(ALICE)
        .approve(CAROL, U256::from(100))
        .motsu_unwrap());
    vault.assert_emitted(&ILrtVault::Approval {
        owner: ALICE,
        spender: CAROL,
        value: U256::from(100),
    });
    expect_err(
        vault
            .sender(CAROL)
            .transfer_from(ALICE, CAROL, U256::from(101)),
        InsufficientAllowance {
            owner: ALICE,
            spender: CAROL,
            have: U256::from(100),
            want: U256::from(101),
        },
    );
    assert!(vault
        .sender(CAROL)
        .transfer_from(ALICE, CAROL, U256::from(60))
        .motsu_unwrap());
    assert_eq!(vault.sender(CAROL).allowance(ALICE, CAROL), U256::from(40));
    assert_eq!(w.shares(CAROL), U256::from(60));
    assert_eq!(w.shares(ALICE), shares - U256::from(460));
    // An unlimited allowance is not spent.
    vault.sender(ALICE).approve(BOB, U256::MAX).motsu_unwrap();
    vault
        .sender(BOB)
        .transfer_from(ALICE, BOB, U256::from(1))
        .motsu_unwrap();
    assert_eq!(vault.sender(BOB).allowance(ALICE, BOB), U256::MAX);
    assert_eq!(w.supply(), shares);
}

#[motsu::test]
fn requests_lock_shares_into_the_open_batch_at_their_value_now(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    let shares = w.deposit(ALICE, ETHER * U256::from(10));
    let price = w.price();
    let four = uint!(4_000_000_000_000_000_000_000_U256);
    let id = vault
        .sender(ALICE)
        .request_redeem(four, ALICE, ALICE)
        .motsu_unwrap();
    assert_eq!(id, U256::from(1));
    vault.assert_emitted(&ILrtVault::RedeemRequest {
        controller: ALICE,
        owner: ALICE,
        requestId: id,
        sender: ALICE,
        shares: four,
    });
    vault.assert_emitted(&ILrtVault::Transfer {
        from: ALICE,
        to: vault.address(),
        value: four,
    });
    assert_eq!(w.shares(ALICE), shares - four);
    assert_eq!(w.shares(vault.address()), four);
    assert_eq!(w.supply(), shares);
    assert_eq!(w.price(), price);
    let v = vault.sender(ALICE);
    assert_eq!(v.pending_redeem_request(id, ALICE), four);
    assert_eq!(v.claimable_redeem_request(id, ALICE), U256::ZERO);
    assert_eq!(v.pending_redeem_request(U256::from(2), ALICE), U256::ZERO);
    assert_eq!(v.max_redeem(ALICE).motsu_unwrap(), U256::ZERO);
    assert_eq!(v.max_withdraw(ALICE).motsu_unwrap(), U256::ZERO);
    // ⌊4e21·(1e19+1)/(1e22+1e3)⌋ = 4e18 exactly.
    let value = mul_div(four, price.0, price.1, Rounding::Down);
    assert_eq!(value, ETHER * U256::from(4));
    assert_eq!(
        v.redeem_request(ALICE),
        LrtRequest {
            requestId: id,
            shares: four,
            assets: value,
        }
    );
    let batch = v.get_batch(id);
    assert_eq!(
        (batch.shares, batch.unclaimed, batch.state),
        (four, four, 0)
    );
    assert_eq!(batch.opened, NOW);
    // A second request of the same controller joins the same batch.
    vault
        .sender(ALICE)
        .request_redeem(U256::from(1_000), ALICE, ALICE)
        .motsu_unwrap();
    let request = vault.sender(ALICE).redeem_request(ALICE);
    assert_eq!(request.shares, four + U256::from(1_000));
    // 1,000 share units are worth one wei.
    assert_eq!(request.assets, value + U256::from(1));
}

#[motsu::test]
fn others_request_only_as_operators_or_within_allowance(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    w.deposit(ALICE, ETHER);
    let one = U256::from(1_000);
    expect_err(
        vault.sender(BOB).request_redeem(one, BOB, ALICE),
        InsufficientAllowance {
            owner: ALICE,
            spender: BOB,
            have: U256::ZERO,
            want: one,
        },
    );
    assert!(vault.sender(ALICE).set_operator(BOB, true));
    vault.assert_emitted(&ILrtVault::OperatorSet {
        controller: ALICE,
        operator: BOB,
        approved: true,
    });
    assert!(vault.sender(BOB).is_operator(ALICE, BOB));
    vault
        .sender(BOB)
        .request_redeem(one, BOB, ALICE)
        .motsu_unwrap();
    assert_eq!(
        vault.sender(BOB).pending_redeem_request(U256::from(1), BOB),
        one
    );
    vault.sender(ALICE).set_operator(BOB, false);
    vault.sender(ALICE).approve(CAROL, one).motsu_unwrap();
    vault
        .sender(CAROL)
        .request_redeem(one, CAROL, ALICE)
        .motsu_unwrap();
    assert_eq!(vault.sender(CAROL).allowance(ALICE, CAROL), U256::ZERO);
    expect_err(
        vault.sender(CAROL).request_redeem(one, CAROL, ALICE),
        InsufficientAllowance {
            owner: ALICE,
            spender: CAROL,
            have: U256::ZERO,
            want: one,
        },
    );
}

#[motsu::test]
fn refused_requests_change_nothing(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    let shares = w.deposit(ALICE, ETHER);
    expect_err(
        vault.sender(ALICE).request_redeem(U256::ZERO, ALICE, ALICE),
        ZeroAmount {},
    );
    expect_err(
        vault
            .sender(ALICE)
            .request_redeem(U256::from(1), Address::ZERO, ALICE),
        ZeroAddress {},
    );
    expect_err(
        vault
            .sender(ALICE)
            .request_redeem(shares + U256::from(1), ALICE, ALICE),
        InsufficientBalance {
            owner: ALICE,
            have: shares,
            want: shares + U256::from(1),
        },
    );
    vault
        .sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::VAULT_REDEMPTIONS)))
        .motsu_unwrap();
    expect_err(
        vault
            .sender(ALICE)
            .request_redeem(U256::from(1), ALICE, ALICE),
        ActionPaused {
            bit: pause::VAULT_REDEMPTIONS,
        },
    );
    assert_eq!(w.shares(ALICE), shares);
    assert_eq!(
        vault.sender(ALICE).get_batch(U256::from(1)).shares,
        U256::ZERO
    );
    assert_eq!(
        vault.sender(ALICE).redeem_request(ALICE).requestId,
        U256::ZERO
    );
}

#[motsu::test]
fn claims_need_the_controller_and_a_completed_batch(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    w.deposit(ALICE, ETHER);
    let one = U256::from(1_000);
    expect_err(
        vault.sender(ALICE).redeem(one, ALICE, ALICE),
        RequestNotClaimable {
            requestId: U256::ZERO,
        },
    );
    vault
        .sender(ALICE)
        .request_redeem(one, ALICE, ALICE)
        .motsu_unwrap();
    expect_err(
        vault.sender(ALICE).redeem(one, ALICE, ALICE),
        RequestNotClaimable {
            requestId: U256::from(1),
        },
    );
    expect_err(
        vault.sender(ALICE).withdraw(U256::from(1), ALICE, ALICE),
        RequestNotClaimable {
            requestId: U256::from(1),
        },
    );
    expect_err(
        vault.sender(BOB).redeem(one, BOB, ALICE),
        NotControllerOrOperator {
            caller: BOB,
            controller: ALICE,
        },
    );
    expect_err(
        vault.sender(ALICE).redeem(U256::ZERO, ALICE, ALICE),
        ZeroAmount {},
    );
    expect_err(
        vault.sender(ALICE).redeem(one, Address::ZERO, ALICE),
        ZeroAddress {},
    );
    expect_err(vault.sender(ALICE).preview_redeem(one), AsyncRedeemOnly {});
    expect_err(
        vault.sender(ALICE).preview_withdraw(one),
        AsyncRedeemOnly {},
    );
}

#[motsu::test]
fn erc165_names_the_async_redeem_interfaces(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    let v = vault.sender(owner);
    for id in [
        [0x01, 0xff, 0xc9, 0xa7],
        [0xe3, 0xbc, 0x4e, 0x65],
        [0x62, 0x0e, 0xe8, 0xe4],
        [0x2f, 0x0a, 0x18, 0xc5],
    ] {
        assert!(v.supports_interface(id.into()));
    }
    // Not async deposits (ERC-7540 0xce3bbe50), not an invalid id.
    assert!(!v.supports_interface([0xce, 0x3b, 0xbe, 0x50].into()));
    assert!(!v.supports_interface([0xff; 4].into()));
}

#[motsu::test]
fn a_slash_lowers_the_price_by_exactly_the_slashed_fraction(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    w.deposit(ALICE, ETHER * U256::from(10));
    w.delegate();
    assert_eq!(vault.sender(owner).delegated_operator().unwrap(), OPERATOR);
    assert_eq!(dm.sender(owner).delegated_to(vault.address()), OPERATOR);
    assert_eq!(
        dm.sender(owner).operator_shares(OPERATOR, token.address()),
        ETHER * U256::from(10)
    );
    // 30% of the operator's magnitude goes: the vault's assets drop from 10 to exactly 7 ether.
    am.sender(owner)
        .slash(
            OPERATOR,
            token.address(),
            700_000_000_000_000_000,
            OperatorSet {
                avs: Address::repeat_byte(0xA5),
                id: 1,
            },
            U256::from(1),
        )
        .motsu_unwrap();
    assert_eq!(w.total_assets(), ETHER * U256::from(7));
    assert_eq!(
        vault.sender(owner).get_rate().motsu_unwrap(),
        mul_div(
            uint!(1_000_000_000_000_000_000_000_U256),
            ETHER * U256::from(7) + U256::from(1),
            uint!(10_000_000_000_000_000_000_000_U256) + VIRTUAL_SHARES,
            Rounding::Down
        )
    );
    // New deposits after the slash are priced at the slashed value, and are not slashed again.
    // The DelegationManager's scaling factor at m = 0.7 rounds the stake's gain down by 8 wei,
    // which the depositor bears (shares are minted for the value actually gained).
    let before = w.price();
    let bob = w.deposit(BOB, ETHER * U256::from(7));
    assert_eq!(
        vault.sender(BOB).convert_to_assets(bob).motsu_unwrap(),
        uint!(6_999_999_999_999_999_991_U256)
    );
    let after = w.price();
    assert!(after.0 * before.1 >= before.0 * after.1);
}

#[motsu::test]
fn owner_sets_fee_cap_curator_and_treasury(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    let stranger = Unauthorized { caller: ALICE };
    expect_err(vault.sender(ALICE).set_performance_fee(5), stranger.clone());
    expect_err(
        vault.sender(ALICE).set_deposit_cap(U256::ZERO),
        stranger.clone(),
    );
    expect_err(vault.sender(ALICE).set_curator(ALICE), stranger.clone());
    expect_err(vault.sender(ALICE).set_treasury(ALICE), stranger);
    expect_err(
        vault.sender(owner).set_performance_fee(2_001),
        BipsTooHigh {
            bips: 2_001,
            max: 2_000,
        },
    );
    expect_err(
        vault.sender(owner).set_curator(Address::ZERO),
        ZeroAddress {},
    );
    expect_err(
        vault.sender(owner).set_treasury(Address::ZERO),
        ZeroAddress {},
    );
    assert_eq!(vault.sender(owner).performance_fee(), 1_000);
    vault
        .sender(owner)
        .set_performance_fee(2_000)
        .motsu_unwrap();
    vault.sender(owner).set_deposit_cap(ETHER).motsu_unwrap();
    vault.sender(owner).set_curator(BOB).motsu_unwrap();
    vault.sender(owner).set_treasury(CAROL).motsu_unwrap();
    vault.assert_emitted(&ILrtVault::PerformanceFeeSet { feeBips: 2_000 });
    vault.assert_emitted(&ILrtVault::VaultCapSet { cap: ETHER });
    vault.assert_emitted(&ILrtVault::CuratorSet { curator: BOB });
    vault.assert_emitted(&ILrtVault::TreasurySet { treasury: CAROL });
    let v = vault.sender(owner);
    assert_eq!(
        (
            v.performance_fee(),
            v.deposit_cap(),
            v.curator(),
            v.treasury()
        ),
        (2_000, ETHER, BOB, CAROL)
    );
}

#[motsu::test]
fn only_the_curator_delegates_and_only_once(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    expect_err(
        vault
            .sender(ALICE)
            .set_curator_operator(OPERATOR, no_signature(), B256::ZERO),
        Unauthorized { caller: ALICE },
    );
    // Not an operator yet: the DelegationManager's refusal comes back inside PeerCallFailed.
    let err: Vec<u8> = vault
        .sender(CURATOR)
        .set_curator_operator(OPERATOR, no_signature(), B256::ZERO)
        .motsu_unwrap_err()
        .into();
    assert!(err.starts_with(&PeerCallFailed::SELECTOR));
    assert_eq!(
        vault.sender(owner).delegated_operator().unwrap(),
        Address::ZERO
    );
    w.delegate();
    expect_err(
        vault
            .sender(CURATOR)
            .set_curator_operator(BOB, no_signature(), B256::ZERO),
        OperatorAlreadySet { operator: OPERATOR },
    );
}

#[motsu::test]
fn batches_are_processed_by_the_curator_or_after_the_timeout(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    expect_err(vault.sender(CURATOR).process_batch(), EmptyInput {});
    expect_err(
        vault.sender(ALICE).process_batch(),
        BatchNotDue {
            batchId: U256::from(1),
            dueAt: VAULT_BATCH_TIMEOUT,
        },
    );
    w.deposit(ALICE, ETHER);
    vault
        .sender(ALICE)
        .request_redeem(U256::from(1_000), ALICE, ALICE)
        .motsu_unwrap();
    expect_err(
        vault.sender(ALICE).process_batch(),
        BatchNotDue {
            batchId: U256::from(1),
            dueAt: NOW + VAULT_BATCH_TIMEOUT,
        },
    );
    expect_err(
        vault.sender(ALICE).complete_batch(U256::from(1)),
        BatchNotQueued {
            batchId: U256::from(1),
            state: 0,
        },
    );
    expect_err(
        vault.sender(ALICE).complete_batch(U256::MAX),
        BatchNotQueued {
            batchId: U256::MAX,
            state: 0,
        },
    );
}

#[motsu::test]
fn rewards_are_restaked_and_the_fee_shares_are_worth_at_most_the_fee(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    let supply = w.deposit(ALICE, ETHER * U256::from(10));
    token
        .sender(owner)
        .mint(rc.address(), ETHER * U256::from(5))
        .motsu_unwrap();
    let claim = w.reward_root(token.address(), ETHER);
    // A claim mixing the asset with another token is refused (other tokens alone go to the
    // treasury: see the devnode suite).
    let mut mixed = claim.clone();
    let mut other = mixed.tokenLeaves[0].clone();
    other.token = BOB;
    mixed.tokenLeaves.push(other);
    expect_err(
        vault.sender(ALICE).claim_and_restake_rewards(mixed),
        UnsupportedRewardToken { token: BOB },
    );
    vault
        .sender(ALICE)
        .claim_and_restake_rewards(claim.clone())
        .motsu_unwrap();
    // 1 ether restaked: total assets are 11 ether at once. Fee 10% = 0.1 ether, minted as
    // ⌊f·(S+V)/(T'+1−f)⌋ shares (T' = 11 ether), worth the fee once everything is unlocked; the
    // rest is held back by profit shares locked for the week, so Alice's shares are still worth
    // exactly 10 ether.
    let t = ETHER * U256::from(10);
    let unlocked = t + ETHER;
    assert_eq!(w.total_assets(), unlocked);
    let fee = ETHER / U256::from(10);
    let fee_shares = mul_div(
        fee,
        supply + VIRTUAL_SHARES,
        unlocked + U256::from(1) - fee,
        Rounding::Down,
    );
    assert_eq!(fee_shares, uint!(91_743_119_266_055_045_872_U256));
    assert_eq!(w.shares(TREASURY), fee_shares);
    vault.assert_emitted(&ILrtVault::PerformanceFeeMinted {
        treasury: TREASURY,
        reward: ETHER,
        feeShares: fee_shares,
    });
    // Locked: the supply at which the price is unchanged, less the shares that exist.
    let level = mul_div(
        unlocked + U256::from(1),
        supply + VIRTUAL_SHARES,
        t + U256::from(1),
        Rounding::Down,
    );
    let locked = level - supply - VIRTUAL_SHARES - fee_shares;
    assert_eq!(locked, uint!(908_256_880_733_944_954_128_U256));
    let unlocked_at = NOW + u64::from(UNLOCK_PERIOD);
    vault.assert_emitted(&ILrtVault::ProfitLocked {
        profit: ETHER,
        lockedShares: locked,
        fullyUnlockedAt: unlocked_at,
    });
    assert_eq!(
        vault.sender(owner).locked_profit().motsu_unwrap(),
        (locked, uint!(908_256_880_733_944_954_U256), unlocked_at)
    );
    assert_eq!(vault.sender(owner).profit_unlock_period(), UNLOCK_PERIOD);
    assert_eq!(
        vault.sender(ALICE).convert_to_assets(supply).motsu_unwrap(),
        t
    );
    // Once unlocked (the devnode suite runs the clock), the fee shares are worth the fee less
    // a wei and Alice's shares 10.9 ether less a wei: ⌊s·(T'+1)/(S+V+fee shares)⌋.
    let all = supply + VIRTUAL_SHARES + fee_shares;
    assert_eq!(
        mul_div(fee_shares, unlocked + U256::from(1), all, Rounding::Down),
        fee - U256::from(1)
    );
    assert_eq!(
        mul_div(supply, unlocked + U256::from(1), all, Rounding::Down),
        uint!(10_899_999_999_999_999_999_U256)
    );
    // The same root again: nothing new, the coordinator's refusal inside PeerCallFailed.
    let err: Vec<u8> = vault
        .sender(ALICE)
        .claim_and_restake_rewards(claim)
        .motsu_unwrap_err()
        .into();
    assert!(err.starts_with(&PeerCallFailed::SELECTOR));
    assert_eq!(w.shares(TREASURY), fee_shares);
}

/// A user action in the monotonicity property.
#[derive(Clone, Debug)]
enum Action {
    Deposit(u8, u128),
    Mint(u8, u128),
    Transfer(u8, u8, u128),
    Request(u8, u128),
    Donate(u128),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (0u8..3, 1u128..10u128.pow(24)).prop_map(|(w, a)| Action::Deposit(w, a)),
        (0u8..3, 1u128..10u128.pow(27)).prop_map(|(w, s)| Action::Mint(w, s)),
        (0u8..3, 0u8..3, 0u128..10u128.pow(27)).prop_map(|(f, t, s)| Action::Transfer(f, t, s)),
        (0u8..3, 1u128..10u128.pow(27)).prop_map(|(w, s)| Action::Request(w, s)),
        (1u128..10u128.pow(22)).prop_map(Action::Donate),
    ]
}

const HOLDERS: [Address; 3] = [ALICE, BOB, CAROL];

/// The six contracts of one property case.
type Contracts = (
    Contract<LrtVault>,
    Contract<StrategyManager>,
    Contract<DelegationManager>,
    Contract<MockAllocationManager>,
    Contract<RewardsCoordinator>,
    Contract<MockToken>,
);

/// Fresh contracts for one property case.
fn contracts() -> Contracts {
    (
        Contract::new(),
        Contract::new(),
        Contract::new(),
        Contract::new(),
        Contract::new(),
        Contract::new(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Deposits, mints, transfers and requests never lower the price `(T+1)/(N+V)`; rewards
    /// (donations to the strategy) only raise it. Exact fractions, no tolerance.
    #[test]
    fn the_price_never_falls_on_a_user_path(actions in proptest::collection::vec(action(), 1..12)) {
        let (vault, sm, dm, am, rc, token) = contracts();
        let owner = Address::repeat_byte(0x01);
        let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
        vault.sender(owner).set_deposit_cap(U256::MAX).motsu_unwrap();
        w.deposit(ALICE, ETHER);
        for holder in HOLDERS {
            w.fund(holder, U256::from(10u128.pow(25)));
        }
        for a in actions {
            let before = w.price();
            match a {
                Action::Deposit(who, amount) => {
                    let _ = vault.sender(HOLDERS[who as usize]).deposit(U256::from(amount), HOLDERS[who as usize]);
                }
                Action::Mint(who, shares) => {
                    let _ = vault.sender(HOLDERS[who as usize]).mint(U256::from(shares), HOLDERS[who as usize]);
                }
                Action::Transfer(from, to, shares) => {
                    let _ = vault.sender(HOLDERS[from as usize]).transfer(HOLDERS[to as usize], U256::from(shares));
                }
                Action::Request(who, shares) => {
                    let _ = vault.sender(HOLDERS[who as usize]).request_redeem(U256::from(shares), HOLDERS[who as usize], HOLDERS[who as usize]);
                }
                Action::Donate(amount) => {
                    token.sender(owner).mint(sm.address(), U256::from(amount)).motsu_unwrap();
                }
            }
            let after = w.price();
            // (T'+1)/(N'+V) ≥ (T+1)/(N+V), cross-multiplied in 512 bits.
            prop_assert!(after.0.widening_mul::<256, 4, 512, 8>(before.1) >= before.0.widening_mul::<256, 4, 512, 8>(after.1), "{a:?}");
        }
    }

    /// Whatever was deposited, the value a request records for the shares it got (the most a
    /// claim can pay) is never more than the deposit, even across rewards in between.
    #[test]
    fn no_deposit_to_request_round_trip_returns_more(
        seed in 1u128..10u128.pow(22),
        amount in 1u128..10u128.pow(24),
        donation in 0u128..10u128.pow(21),
    ) {
        let (vault, sm, dm, am, rc, token) = contracts();
        let owner = Address::repeat_byte(0x01);
        let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
        vault.sender(owner).set_deposit_cap(U256::MAX).motsu_unwrap();
        w.deposit(ALICE, U256::from(seed));
        w.fund(BOB, U256::from(amount));
        let Ok(shares) = vault.sender(BOB).deposit(U256::from(amount), BOB) else {
            return Ok(());
        };
        let minted_for = vault.sender(BOB).convert_to_assets(shares).motsu_unwrap();
        prop_assert!(minted_for <= U256::from(amount));
        if donation > 0 {
            token.sender(owner).mint(sm.address(), U256::from(donation)).motsu_unwrap();
        }
        vault.sender(BOB).request_redeem(shares, BOB, BOB).motsu_unwrap();
        let recorded = vault.sender(BOB).redeem_request(BOB).assets;
        // The request is worth at most the deposit plus Bob's fair part of the reward.
        let reward_part = U256::from(donation) * shares / (shares + U256::from(seed) * U256::from(1_000));
        prop_assert!(recorded <= U256::from(amount) + reward_part + U256::from(1));
        if donation == 0 {
            prop_assert!(recorded <= U256::from(amount));
        }
    }

    /// First-depositor inflation: an attacker deposits a little and donates, to the vault or to
    /// the strategy; the next depositor keeps at least 99.9% of what they put in (or the deposit
    /// is refused by name and nothing moves).
    #[test]
    fn a_donation_cannot_take_more_than_a_thousandth_of_the_next_deposit(
        first in 1u128..10u128.pow(18),
        to_vault in 0u128..10u128.pow(24),
        to_strategy_bips in 0u128..10_000,
        victim in 10u128.pow(15)..10u128.pow(22),
    ) {
        let (vault, sm, dm, am, rc, token) = contracts();
        let owner = Address::repeat_byte(0x01);
        let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
        vault.sender(owner).set_deposit_cap(U256::MAX).motsu_unwrap();
        let attacker = Address::repeat_byte(0xAA);
        w.deposit(attacker, U256::from(first));
        token.sender(owner).mint(vault.address(), U256::from(to_vault)).motsu_unwrap();
        // Up to the victim's own deposit into the strategy's balance.
        let to_strategy = victim / 10_000 * to_strategy_bips;
        token.sender(owner).mint(sm.address(), U256::from(to_strategy)).motsu_unwrap();
        w.fund(BOB, U256::from(victim));
        match vault.sender(BOB).deposit(U256::from(victim), BOB) {
            Ok(shares) => {
                let worth = vault.sender(BOB).convert_to_assets(shares).motsu_unwrap();
                prop_assert!(worth * U256::from(1_000) >= U256::from(victim) * U256::from(999),
                    "victim {victim} worth {worth}");
            }
            Err(e) => {
                let data: Vec<u8> = e.into();
                prop_assert!(data.starts_with(&ZeroShares::SELECTOR) || data.starts_with(&PeerCallFailed::SELECTOR));
                prop_assert_eq!(token.sender(BOB).balance_of(BOB), U256::from(victim));
            }
        }
    }

    /// The performance fee: the minted shares are never worth more than `bips × reward`, for any
    /// fee up to the maximum and any reward.
    #[test]
    fn the_fee_minted_never_exceeds_its_share_of_the_reward(
        bips in 0u16..=2_000,
        seed in 1u128..10u128.pow(24),
        reward in 1u128..10u128.pow(24),
    ) {
        let (vault, sm, dm, am, rc, token) = contracts();
        let owner = Address::repeat_byte(0x01);
        let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
        vault.sender(owner).set_deposit_cap(U256::MAX).motsu_unwrap();
        vault.sender(owner).set_performance_fee(bips).motsu_unwrap();
        w.deposit(ALICE, U256::from(seed));
        token.sender(owner).mint(rc.address(), U256::from(reward)).motsu_unwrap();
        let claim = w.reward_root(token.address(), U256::from(reward));
        let before = w.price();
        vault.sender(ALICE).claim_and_restake_rewards(claim).motsu_unwrap();
        let fee_shares = w.shares(TREASURY);
        let worth = vault.sender(owner).convert_to_assets(fee_shares).motsu_unwrap();
        prop_assert!(worth * U256::from(10_000) <= U256::from(reward) * U256::from(bips));
        let after = w.price();
        prop_assert!(after.0.widening_mul::<256, 4, 512, 8>(before.1) >= before.0.widening_mul::<256, 4, 512, 8>(after.1));
    }
}

/// The state an ERC-4626 property case starts from (ALICE holds the first deposit, the vault is
/// delegated to OPERATOR).
#[derive(Clone, Copy, Debug)]
enum Condition {
    /// Nothing happened to the stake.
    Clean,
    /// The operator's magnitude fell to `m` after the first deposit.
    SlashedAfter(u64),
    /// `reward` was restaked through the RewardsCoordinator and `donation` went to the strategy.
    Rewarded { reward: u128, donation: u128 },
    /// The operator's magnitude fell to `m` before the vault held anything.
    SlashedBefore(u64),
}

fn set_operator_set() -> OperatorSet {
    OperatorSet {
        avs: Address::repeat_byte(0xA5),
        id: 1,
    }
}

impl World<'_> {
    /// Brings a fresh world to `condition` with a first deposit of `seed` (rejects the case when
    /// that deposit is worth less than a share).
    fn reach(&self, condition: Condition, seed: U256) -> Result<(), TestCaseError> {
        self.vault
            .sender(self.owner)
            .set_deposit_cap(U256::MAX)
            .motsu_unwrap();
        self.delegate();
        let slash = |m: u64| {
            self.am
                .sender(self.owner)
                .slash(
                    OPERATOR,
                    self.token.address(),
                    m,
                    set_operator_set(),
                    U256::from(1),
                )
                .motsu_unwrap();
        };
        if let Condition::SlashedBefore(m) = condition {
            slash(m);
        }
        self.fund(ALICE, seed);
        if self.vault.sender(ALICE).deposit(seed, ALICE).is_err() {
            return Err(TestCaseError::reject("first deposit below one share"));
        }
        match condition {
            Condition::SlashedAfter(m) => slash(m),
            Condition::Rewarded { reward, donation } => {
                self.token
                    .sender(self.owner)
                    .mint(self.rc.address(), U256::from(reward))
                    .motsu_unwrap();
                let claim = self.reward_root(self.token.address(), U256::from(reward));
                self.vault
                    .sender(CAROL)
                    .claim_and_restake_rewards(claim)
                    .motsu_unwrap();
                self.token
                    .sender(self.owner)
                    .mint(self.sm.address(), U256::from(donation))
                    .motsu_unwrap();
            }
            Condition::Clean | Condition::SlashedBefore(_) => {}
        }
        Ok(())
    }

    /// Every ERC-4626 deposit-side rule, checked against what the actions then do: BOB deposits
    /// `assets`, mints `shares`, and spends what a cap of `room` above total assets leaves.
    fn check_erc4626(&self, assets: U256, shares: U256, room: U256) -> Result<(), TestCaseError> {
        let v = self.vault;
        self.fund(BOB, U256::from(10u128.pow(30)));
        // previewDeposit is exactly what deposit mints; 0 exactly where deposit refuses.
        let preview = v.sender(BOB).preview_deposit(assets);
        let (held, total) = (self.shares(BOB), self.total_assets());
        let before = self.price();
        match (preview, v.sender(BOB).deposit(assets, BOB)) {
            (Ok(p), Ok(minted)) => {
                prop_assert!(!p.is_zero());
                prop_assert_eq!(minted, p);
                prop_assert_eq!(self.shares(BOB), held + p);
                // convertToShares rounds down from the new value, never above what it mints for.
                prop_assert!(self.total_assets() >= total);
            }
            (Ok(p), Err(e)) => {
                prop_assert!(p.is_zero(), "preview {p} but deposit refused");
                // Worth less than a vault share, or than a strategy share.
                let data: Vec<u8> = e.into();
                let strategy = PeerCallFailed {
                    peer: self.sm.address(),
                    reason: ZeroSharesMinted {
                        strategy: self.token.address(),
                        amount: assets,
                    }
                    .abi_encode()
                    .into(),
                };
                let vault_refusal = ZeroShares { assets }.abi_encode();
                prop_assert!(data == vault_refusal || data == strategy.abi_encode());
                prop_assert_eq!(self.shares(BOB), held);
            }
            (Err(p), Err(e)) => {
                let (p, e): (Vec<u8>, Vec<u8>) = (p.into(), e.into());
                prop_assert_eq!(p, e);
            }
            (Err(_), Ok(minted)) => prop_assert!(false, "preview refused, deposit minted {minted}"),
        }
        let after = self.price();
        prop_assert!(
            after.0.widening_mul::<256, 4, 512, 8>(before.1)
                >= before.0.widening_mul::<256, 4, 512, 8>(after.1)
        );
        // previewMint is exactly what mint takes, for exactly `shares`; one wei less would not do.
        let cost = v.sender(BOB).preview_mint(shares);
        let (held, paid_from) = (self.shares(BOB), self.token.sender(BOB).balance_of(BOB));
        match (cost, v.sender(BOB).mint(shares, BOB)) {
            (Ok(c), Ok(paid)) => {
                prop_assert_eq!(paid, c);
                prop_assert_eq!(self.shares(BOB), held + shares);
                prop_assert_eq!(self.token.sender(BOB).balance_of(BOB), paid_from - c);
            }
            (Err(p), Err(e)) => {
                let (p, e): (Vec<u8>, Vec<u8>) = (p.into(), e.into());
                prop_assert_eq!(p, e);
            }
            (c, m) => prop_assert!(false, "previewMint {c:?} but mint {m:?}"),
        }
        if let Ok(c) = v.sender(BOB).preview_mint(shares) {
            prop_assert!(v.sender(BOB).preview_deposit(c).motsu_unwrap() >= shares);
            if c > U256::from(1) {
                prop_assert!(
                    v.sender(BOB)
                        .preview_deposit(c - U256::from(1))
                        .motsu_unwrap()
                        < shares
                );
            }
        }
        // maxDeposit and maxMint: what the cap leaves can be deposited, and up to maxMint shares
        // minted, without a revert.
        let t = self.total_assets();
        v.sender(self.owner)
            .set_deposit_cap(t + room)
            .motsu_unwrap();
        prop_assert_eq!(v.sender(BOB).max_deposit(BOB).motsu_unwrap(), room);
        let most = v.sender(BOB).max_mint(BOB).motsu_unwrap();
        let want = shares.min(most);
        if !want.is_zero() {
            let paid = v.sender(BOB).mint(want, BOB);
            prop_assert!(paid.is_ok(), "mint({want}) ≤ maxMint {most}: {paid:?}");
        }
        Ok(())
    }
}

/// One ERC-4626 property case in `condition`.
fn erc4626_case(
    condition: Condition,
    seed: u128,
    assets: u128,
    shares: u128,
    room: u128,
) -> Result<(), TestCaseError> {
    let (vault, sm, dm, am, rc, token) = contracts();
    let owner = Address::repeat_byte(0x01);
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    w.reach(condition, U256::from(seed))?;
    w.check_erc4626(U256::from(assets), U256::from(shares), U256::from(room))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// ERC-4626 rules on an unslashed, unrewarded vault.
    #[test]
    fn erc4626_rules_hold_on_a_clean_vault(
        seed in 1u128..10u128.pow(24),
        assets in 1u128..10u128.pow(24),
        shares in 1u128..10u128.pow(27),
        room in 0u128..10u128.pow(24),
    ) {
        erc4626_case(Condition::Clean, seed, assets, shares, room)?;
    }

    /// ERC-4626 rules once the operator was slashed (any magnitude left).
    #[test]
    fn erc4626_rules_hold_after_a_slash(
        m in 1u64..1_000_000_000_000_000_000,
        seed in 1u128..10u128.pow(24),
        assets in 1u128..10u128.pow(24),
        shares in 1u128..10u128.pow(27),
        room in 0u128..10u128.pow(24),
    ) {
        erc4626_case(Condition::SlashedAfter(m), seed, assets, shares, room)?;
    }

    /// ERC-4626 rules after a restaked reward and a donation to the strategy.
    #[test]
    fn erc4626_rules_hold_after_a_reward(
        reward in 1u128..10u128.pow(24),
        donation in 0u128..10u128.pow(24),
        seed in 1u128..10u128.pow(24),
        assets in 1u128..10u128.pow(24),
        shares in 1u128..10u128.pow(27),
        room in 0u128..10u128.pow(24),
    ) {
        erc4626_case(Condition::Rewarded { reward, donation }, seed, assets, shares, room)?;
    }

    /// ERC-4626 rules when the operator was slashed before the vault's first deposit.
    #[test]
    fn erc4626_rules_hold_when_slashed_before_the_first_deposit(
        m in 1u64..1_000_000_000_000_000_000,
        seed in 1u128..10u128.pow(24),
        assets in 1u128..10u128.pow(24),
        shares in 1u128..10u128.pow(27),
        room in 0u128..10u128.pow(24),
    ) {
        erc4626_case(Condition::SlashedBefore(m), seed, assets, shares, room)?;
    }
}

#[test]
fn virtual_shares_are_ten_to_the_decimals_offset() {
    assert_eq!(
        VIRTUAL_SHARES,
        U256::from(10u64.pow(u32::from(restaking_abi::constants::VAULT_DECIMALS_OFFSET)))
    );
}

#[motsu::test]
fn nothing_can_be_deposited_once_the_operator_is_fully_slashed(
    vault: Contract<LrtVault>,
    sm: Contract<StrategyManager>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    rc: Contract<RewardsCoordinator>,
    token: Contract<MockToken>,
    owner: Address,
) {
    let w = setup(&vault, &sm, &dm, &am, &rc, &token, owner);
    w.reach(Condition::SlashedAfter(1), ETHER).unwrap();
    assert!(!vault.sender(BOB).max_deposit(BOB).motsu_unwrap().is_zero());
    am.sender(owner)
        .slash(
            OPERATOR,
            token.address(),
            0,
            set_operator_set(),
            U256::from(2),
        )
        .motsu_unwrap();
    // A deposit would divide by the zero magnitude: the limits say so.
    assert_eq!(
        vault.sender(BOB).max_deposit(BOB).motsu_unwrap(),
        U256::ZERO
    );
    assert_eq!(vault.sender(BOB).max_mint(BOB).motsu_unwrap(), U256::ZERO);
    w.fund(BOB, ETHER);
    let err: Vec<u8> = vault
        .sender(BOB)
        .deposit(ETHER, BOB)
        .motsu_unwrap_err()
        .into();
    assert!(err.starts_with(&PeerCallFailed::SELECTOR));
    assert_eq!(token.sender(BOB).balance_of(BOB), ETHER);
}
