//! The LrtVault end to end on the real contracts (every contract's WASM): three holders deposit,
//! the vault's rewards are computed by the rewards calculator and restaked with the fee, its
//! operator is slashed while a batch is in the withdrawal queue (nobody gets out at the old
//! price), batches are processed, completed and claimed at the lower of request-time and
//! realised value, and a rebasing underlying moves the price with its rebase.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use integration::{
    Actor, Backend, BackendExt, IMockToken, Outcome, World, WorldBuilder, ACTIVATION_DELAY,
    UNLOCK_PERIOD, WITHDRAWAL_DELAY,
};
use restaking_abi::{
    abi::{ILrtVault as V, *},
    constants::{VAULT_BATCH_TIMEOUT, WAD},
    math::{self, Rounding},
};

type W = World<Box<dyn Backend>>;

const WAD64: u64 = 1_000_000_000_000_000_000;
const VIRTUAL: u64 = 1_000;

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

fn milli(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(15u64))
}

fn mul_div(x: U256, y: U256, d: U256, r: Rounding) -> U256 {
    math::mul_div(x, y, d, r).unwrap()
}

struct Vault {
    address: Address,
    curator: Actor,
    treasury: Actor,
}

impl Vault {
    fn tx<C: alloy_sol_types::SolCall>(&self, w: &mut W, from: Address, call: &C) -> Outcome {
        w.chain.tx(from, self.address, call).unwrap()
    }

    fn read<C: alloy_sol_types::SolCall>(&self, w: &mut W, call: &C) -> C::Return {
        w.chain.read(self.address, call).unwrap()
    }

    fn total_assets(&self, w: &mut W) -> U256 {
        self.read(w, &V::totalAssetsCall {})._0
    }

    /// `convertToAssets(shares)`.
    fn worth(&self, w: &mut W, shares: U256) -> U256 {
        self.read(w, &V::convertToAssetsCall { shares })._0
    }

    fn supply(&self, w: &mut W) -> U256 {
        self.read(w, &V::totalSupplyCall {})._0
    }

    fn shares(&self, w: &mut W, who: Address) -> U256 {
        self.read(w, &V::balanceOfCall { account: who })._0
    }

    /// `(T+1, N+V)`, `N` the shares and the locked profit shares.
    fn price(&self, w: &mut W) -> (U256, U256) {
        let locked = self.read(w, &V::lockedProfitCall {}).shares;
        (
            self.total_assets(w) + U256::from(1),
            self.supply(w) + locked + U256::from(VIRTUAL),
        )
    }

    fn batch(&self, w: &mut W, id: u64) -> LrtBatch {
        self.read(
            w,
            &V::getBatchCall {
                batchId: U256::from(id),
            },
        )
        ._0
    }

    fn request(&self, w: &mut W, shares: U256, who: Address) -> Outcome {
        self.tx(
            w,
            who,
            &V::requestRedeemCall {
                shares,
                controller: who,
                owner: who,
            },
        )
    }
}

/// `staker`'s pending DelegationManager withdrawals.
fn queued_withdrawals(w: &mut W, staker: Address) -> Vec<QueuedWithdrawal> {
    w.chain
        .read(
            w.delegation_manager,
            &IDelegationManager::queuedWithdrawalsCall { staker },
        )
        .unwrap()
        ._0
}

/// `after ≥ before` as exact fractions.
fn price_not_below(after: (U256, U256), before: (U256, U256)) -> bool {
    after.0.widening_mul::<256, 4, 512, 8>(before.1)
        >= before.0.widening_mul::<256, 4, 512, 8>(after.1)
}

fn setup(asset_of: impl Fn(&W) -> Address) -> (W, Vault, Address) {
    let mut w: W = WorldBuilder::new()
        .stakers(3)
        .real_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap();
    let asset = asset_of(&w);
    let curator = Actor::named("curator");
    let treasury = Actor::named("treasury");
    w.chain.register(&curator).unwrap();
    let address = w
        .deploy_vault(
            asset,
            curator.address,
            treasury.address,
            1_000,
            ether(1_000),
            UNLOCK_PERIOD,
        )
        .unwrap();
    let vault = Vault {
        address,
        curator,
        treasury,
    };
    for i in 0..3 {
        let who = w.stakers[i].address;
        let approve = IERC20::approveCall {
            spender: address,
            value: U256::MAX,
        };
        w.chain.tx(who, asset, &approve).unwrap().ok().unwrap();
    }
    (w, vault, asset)
}

/// Set 1 of `avs` slashes `wad` of `operator`'s allocation of `asset`.
fn slash_set_one(w: &mut W, avs: &Actor, operator: Address, asset: Address, wad: U256) {
    let set = OperatorSet {
        avs: avs.address,
        id: 1,
    };
    w.slash(&set, operator, vec![asset], vec![wad])
        .unwrap()
        .ok()
        .unwrap();
}

/// Registers the vault's operator, gives it half of its stETH magnitude in set 1 of `avs`, and
/// has the curator delegate the vault to it.
fn operator_with_allocation(w: &mut W, vault: &Vault, avs: &Actor, asset: Address) -> Address {
    let op = w.register_operator("vault-operator", 0).unwrap().address;
    w.create_operator_set(avs, 1, vec![asset], Address::ZERO)
        .unwrap()
        .ok()
        .unwrap();
    w.join(op, avs.address, vec![1]).unwrap().ok().unwrap();
    let set = OperatorSet {
        avs: avs.address,
        id: 1,
    };
    w.allocate(op, set, vec![asset], vec![WAD64 / 2])
        .unwrap()
        .ok()
        .unwrap();
    let delegate = V::setCuratorOperatorCall {
        operator: op,
        approverSignature: SignatureWithExpiry {
            signature: alloy_primitives::Bytes::new(),
            expiry: U256::ZERO,
        },
        approverSalt: B256::ZERO,
    };
    let curator = vault.curator.address;
    vault.tx(w, curator, &delegate).ok().unwrap();
    op
}

#[test]
fn holders_round_trip_through_a_reward_and_a_slash_at_the_lower_of_request_and_realised_value() {
    let (mut w, vault, steth) = setup(|w| w.tokens.steth);
    let avs = Actor::named("avs");
    w.chain.register(&avs).unwrap();
    let op = operator_with_allocation(&mut w, &vault, &avs, steth);
    assert_eq!(vault.read(&mut w, &V::delegatedOperatorCall {})._0, op);
    let [alice, bob, carol] = [0, 1, 2].map(|i| w.stakers[i].address);

    // Deposits at 1 asset : 1,000 share units.
    for (who, amount) in [(alice, 30), (bob, 20), (carol, 10)] {
        let out = vault
            .tx(
                &mut w,
                who,
                &V::depositCall {
                    assets: ether(amount),
                    receiver: who,
                },
            )
            .ok()
            .unwrap();
        let shares = ether(amount) * U256::from(VIRTUAL);
        assert!(out.emitted(&V::Deposit {
            sender: who,
            owner: who,
            assets: ether(amount),
            shares,
        }));
        assert_eq!(vault.shares(&mut w, who), shares);
    }
    assert_eq!(vault.total_assets(&mut w), ether(60));
    assert_eq!(
        w.chain
            .read(
                w.delegation_manager,
                &IDelegationManager::operatorSharesCall {
                    operator: op,
                    strategy: steth,
                }
            )
            .unwrap()
            ._0,
        ether(60)
    );

    // Rewards: the AVS pays 6 stETH over one interval; the operator keeps 10%, the vault (its
    // only staker) earns 5.4, claimed and restaked by anyone; 10% of that is the fee.
    let (_, _, end) = w.submit_rewards(&avs, steth, ether(6), 1).unwrap();
    let now = w.chain.timestamp();
    w.chain.advance(end + 1 - now).unwrap();
    let (distribution, tree, index, _) = w.post_rewards_root(end).unwrap();
    assert_eq!(distribution.earnings[&vault.address][&steth], milli(5_400));
    w.chain.advance(ACTIVATION_DELAY).unwrap();
    let (supply, before) = (vault.supply(&mut w), vault.price(&mut w));
    let claim = V::claimAndRestakeRewardsCall {
        claim: tree.claim(index, vault.address).unwrap(),
    };
    let out = vault.tx(&mut w, bob, &claim).ok().unwrap();
    // Total assets are 65.4 at once. The fee shares are worth the fee (0.54) once the reward is
    // unlocked; profit shares held by nobody are locked so that the price does not move, and
    // unlock linearly over the period: the 5.4 stETH reach the price gradually.
    let fee = milli(540);
    let unlocked = ether(60) + milli(5_400);
    assert_eq!(vault.total_assets(&mut w), unlocked);
    let fee_shares = mul_div(
        fee,
        supply + U256::from(VIRTUAL),
        unlocked + U256::from(1) - fee,
        Rounding::Down,
    );
    let level = mul_div(
        unlocked + U256::from(1),
        supply + U256::from(VIRTUAL),
        ether(60) + U256::from(1),
        Rounding::Down,
    );
    let locked = level - supply - U256::from(VIRTUAL) - fee_shares;
    assert!(out.emitted(&V::PerformanceFeeMinted {
        treasury: vault.treasury.address,
        reward: milli(5_400),
        feeShares: fee_shares,
    }));
    let unlocked_at = w.chain.timestamp() + u64::from(UNLOCK_PERIOD);
    assert!(out.emitted(&V::ProfitLocked {
        profit: milli(5_400),
        lockedShares: locked,
        fullyUnlockedAt: unlocked_at,
    }));
    assert_eq!(vault.shares(&mut w, vault.treasury.address), fee_shares);
    // The price rises only by the lock's rounding: Alice's 30 stETH are still worth 30.
    assert!(price_not_below(vault.price(&mut w), before));
    let alice_shares = ether(30) * U256::from(VIRTUAL);
    assert_eq!(vault.worth(&mut w, alice_shares), ether(30));
    // Half-way, half of the locked shares are left (rounded up, against the price); after the
    // period, none.
    w.chain.advance(u64::from(UNLOCK_PERIOD) / 2).unwrap();
    let half = vault.read(&mut w, &V::lockedProfitCall {});
    let still = locked.div_ceil(U256::from(2));
    let priced = supply + fee_shares + still + U256::from(VIRTUAL);
    assert_eq!(
        (half.shares, half.assets, half.fullyUnlockedAt),
        (
            still,
            mul_div(still, unlocked + U256::from(1), priced, Rounding::Down),
            unlocked_at
        )
    );
    assert_eq!(
        vault.worth(&mut w, alice_shares),
        mul_div(
            alice_shares,
            unlocked + U256::from(1),
            priced,
            Rounding::Down
        )
    );
    w.chain.advance(u64::from(UNLOCK_PERIOD) / 2).unwrap();
    let t = unlocked;
    assert_eq!(vault.total_assets(&mut w), t);
    assert_eq!(
        vault.read(&mut w, &V::lockedProfitCall {}).shares,
        U256::ZERO
    );
    let fee_worth = vault.worth(&mut w, fee_shares);
    assert!(fee_worth <= fee && fee - fee_worth <= U256::from(1));
    // Alice's 30 stETH are now worth 30 + 30/60 · 5.4 · 0.9 = 32.43 stETH (less rounding).
    let alice_worth = vault.worth(&mut w, ether(30) * U256::from(VIRTUAL));
    assert!(
        milli(32_430) - alice_worth <= U256::from(2),
        "{alice_worth}"
    );
    let rate = vault.read(&mut w, &V::getRateCall {})._0;
    assert_eq!(rate, vault.worth(&mut w, ether(1) * U256::from(VIRTUAL)));

    // Alice redeems everything, Carol half: batch 1, recorded at today's value.
    let alice_shares = ether(30) * U256::from(VIRTUAL);
    let carol_shares = ether(5) * U256::from(VIRTUAL);
    let price = vault.price(&mut w);
    let out = vault.request(&mut w, alice_shares, alice).ok().unwrap();
    assert!(out.emitted(&V::RedeemRequest {
        controller: alice,
        owner: alice,
        requestId: U256::from(1),
        sender: alice,
        shares: alice_shares,
    }));
    vault.request(&mut w, carol_shares, carol).ok().unwrap();
    let alice_value = mul_div(alice_shares, price.0, price.1, Rounding::Down);
    assert_eq!(
        vault
            .read(&mut w, &V::redeemRequestCall { controller: alice })
            ._0,
        LrtRequest {
            requestId: U256::from(1),
            shares: alice_shares,
            assets: alice_value,
        }
    );
    assert_eq!(
        vault
            .read(
                &mut w,
                &V::pendingRedeemRequestCall {
                    requestId: U256::from(1),
                    controller: alice
                }
            )
            .shares,
        alice_shares
    );
    // Only the curator may process before the timeout; an empty batch cannot be processed.
    let early: BatchNotDue = vault
        .tx(&mut w, bob, &V::processBatchCall {})
        .revert()
        .unwrap();
    assert_eq!(early.batchId, U256::from(1));
    let curator = vault.curator.address;
    let before = vault.price(&mut w);
    let batch_shares = alice_shares + carol_shares;
    let batch_value = mul_div(batch_shares, before.0, before.1, Rounding::Down);
    let processed = vault
        .tx(&mut w, curator, &V::processBatchCall {})
        .ok()
        .unwrap();
    let queued = queued_withdrawals(&mut w, vault.address);
    assert_eq!(queued.len(), 1);
    let root = w
        .chain
        .read(
            w.delegation_manager,
            &IDelegationManager::withdrawalRootCall {
                withdrawal: queued[0].withdrawal.clone(),
            },
        )
        .unwrap()
        ._0;
    assert!(processed.emitted(&V::BatchQueued {
        batchId: U256::from(1),
        withdrawalRoot: root,
        shares: batch_shares,
    }));
    let batch = vault.batch(&mut w, 1);
    assert_eq!(batch.state, 1);
    assert_eq!(batch.scaledShares, queued[0].withdrawal.scaledShares[0]);
    // The queued withdrawal is worth at most the batch's value; nobody else lost anything.
    assert!(queued[0].shares[0] <= batch_value);
    assert!(batch_value - queued[0].shares[0] <= U256::from(2));
    assert_eq!(
        vault.supply(&mut w),
        before.1 - U256::from(VIRTUAL) - batch_shares
    );
    assert_eq!(vault.shares(&mut w, vault.address), U256::ZERO);
    assert!(price_not_below(vault.price(&mut w), before));
    assert_eq!(
        vault.read(&mut w, &V::currentBatchCall {})._0,
        U256::from(2)
    );
    let empty: EmptyInput = vault
        .tx(&mut w, curator, &V::processBatchCall {})
        .revert()
        .unwrap();
    assert_eq!(empty, EmptyInput {});
    // Carol cannot open a second request before claiming the first.
    let pending: RequestPending = vault
        .request(&mut w, U256::from(1), carol)
        .revert()
        .unwrap();
    assert_eq!(
        (pending.controller, pending.requestId),
        (carol, U256::from(1))
    );

    // Bob sees the slash coming and requests too: it lands first, his request is worth less.
    let set = OperatorSet {
        avs: avs.address,
        id: 1,
    };
    let staked_before = vault.total_assets(&mut w);
    let rate_before = vault.read(&mut w, &V::getRateCall {})._0;
    // 40% of the operator's half allocation: its max magnitude falls to 80%.
    w.slash(
        &set,
        op,
        vec![steth],
        vec![WAD * U256::from(2) / U256::from(5)],
    )
    .unwrap()
    .ok()
    .unwrap();
    let staked_after = vault.total_assets(&mut w);
    // Exactly the DelegationManager's withdrawable shares at m = 0.8, in tokens.
    let d = w
        .chain
        .read(
            w.sm,
            &IStrategyManager::depositSharesCall {
                staker: vault.address,
                strategy: steth,
            },
        )
        .unwrap()
        ._0;
    let k = w
        .chain
        .read(
            w.delegation_manager,
            &IDelegationManager::depositScalingFactorCall {
                staker: vault.address,
                strategy: steth,
            },
        )
        .unwrap()
        ._0;
    let withdrawable = math::calc_withdrawable(d, k, WAD * U256::from(4) / U256::from(5)).unwrap();
    let tokens = w
        .chain
        .read(
            w.sm,
            &IStrategyManager::sharesToTokensCall {
                strategy: steth,
                shares: withdrawable,
            },
        )
        .unwrap()
        ._0;
    assert_eq!(staked_after, tokens);
    let eighty = staked_before * U256::from(4) / U256::from(5);
    assert!(
        eighty.abs_diff(staked_after) <= U256::from(2),
        "{staked_after} vs {eighty}"
    );
    let rate_after = vault.read(&mut w, &V::getRateCall {})._0;
    assert!((rate_before * U256::from(4) / U256::from(5)).abs_diff(rate_after) <= U256::from(1));
    let bob_shares = ether(10) * U256::from(VIRTUAL);
    vault.request(&mut w, bob_shares, bob).ok().unwrap();
    let bob_value = vault
        .read(&mut w, &V::redeemRequestCall { controller: bob })
        ._0
        .assets;
    assert!(
        bob_value < ether(10) * U256::from(4) / U256::from(5) * U256::from(11) / U256::from(10)
    );

    // Batch 1 completes after the delay (anyone), realising 80% of its value: the slash reached
    // the queued withdrawal.
    let too_early = vault.tx(
        &mut w,
        bob,
        &V::completeBatchCall {
            batchId: U256::from(1),
        },
    );
    let failed: PeerCallFailed = too_early.revert().unwrap();
    assert_eq!(failed.peer, w.delegation_manager);
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    let done = vault
        .tx(
            &mut w,
            bob,
            &V::completeBatchCall {
                batchId: U256::from(1),
            },
        )
        .ok()
        .unwrap();
    let realised = vault.batch(&mut w, 1).assets;
    assert!(done.emitted(&V::BatchCompleted {
        batchId: U256::from(1),
        assets: realised,
    }));
    let expected = queued[0].shares[0] * U256::from(4) / U256::from(5);
    assert!(
        expected.abs_diff(realised) <= U256::from(2),
        "{realised} vs {expected}"
    );
    let again: BatchNotQueued = vault
        .tx(
            &mut w,
            bob,
            &V::completeBatchCall {
                batchId: U256::from(1),
            },
        )
        .revert()
        .unwrap();
    assert_eq!(again.state, 2);

    // Alice claims: the realised value, below what her shares were worth at request.
    let alice_owed = mul_div(alice_shares, realised, batch_shares, Rounding::Down);
    assert!(alice_owed < alice_value);
    assert_eq!(
        vault
            .read(&mut w, &V::maxWithdrawCall { controller: alice })
            ._0,
        alice_owed
    );
    assert_eq!(
        vault
            .read(
                &mut w,
                &V::claimableRedeemRequestCall {
                    requestId: U256::from(1),
                    controller: alice
                }
            )
            .shares,
        alice_shares
    );
    let stranger: NotControllerOrOperator = vault
        .tx(
            &mut w,
            bob,
            &V::redeemCall {
                shares: alice_shares,
                receiver: bob,
                controller: alice,
            },
        )
        .revert()
        .unwrap();
    assert_eq!(stranger.controller, alice);
    let funds = w.balance(steth, alice).unwrap();
    let out = vault
        .tx(
            &mut w,
            alice,
            &V::redeemCall {
                shares: alice_shares,
                receiver: alice,
                controller: alice,
            },
        )
        .ok()
        .unwrap();
    assert!(out.emitted(&V::Withdraw {
        sender: alice,
        receiver: alice,
        owner: alice,
        assets: alice_owed,
        shares: alice_shares,
    }));
    assert_eq!(w.balance(steth, alice).unwrap(), funds + alice_owed);
    let twice: RequestNotClaimable = vault
        .tx(
            &mut w,
            alice,
            &V::redeemCall {
                shares: U256::from(1),
                receiver: alice,
                controller: alice,
            },
        )
        .revert()
        .unwrap();
    assert_eq!(twice.requestId, U256::ZERO);

    // Carol withdraws by assets (shares rounded up), then redeems the rest; the batch's last
    // claim returns its rounding dust to the holders.
    let carol_owed = mul_div(carol_shares, realised, batch_shares, Rounding::Down);
    let half = carol_owed / U256::from(2);
    let too_much: InsufficientBalance = vault
        .tx(
            &mut w,
            carol,
            &V::withdrawCall {
                assets: carol_owed + U256::from(1),
                receiver: carol,
                controller: carol,
            },
        )
        .revert()
        .unwrap();
    assert_eq!(
        (too_much.have, too_much.want),
        (carol_owed, carol_owed + U256::from(1))
    );
    let funds = w.balance(steth, carol).unwrap();
    vault
        .tx(
            &mut w,
            carol,
            &V::withdrawCall {
                assets: half,
                receiver: carol,
                controller: carol,
            },
        )
        .ok()
        .unwrap();
    let burned = mul_div(half, carol_shares, carol_owed, Rounding::Up);
    let left = vault
        .read(&mut w, &V::maxRedeemCall { controller: carol })
        ._0;
    assert_eq!(left, carol_shares - burned);
    let idle_before = vault.read(&mut w, &V::idleAssetsCall {})._0;
    vault
        .tx(
            &mut w,
            carol,
            &V::redeemCall {
                shares: left,
                receiver: carol,
                controller: carol,
            },
        )
        .ok()
        .unwrap();
    let carol_got = w.balance(steth, carol).unwrap() - funds;
    assert!(carol_got <= carol_owed && carol_owed - carol_got <= U256::from(1));
    let batch = vault.batch(&mut w, 1);
    assert_eq!((batch.unclaimed, batch.reserve), (U256::ZERO, U256::ZERO));
    // What the batch realised beyond the two claims stays in the vault, outside idle, until the
    // next batch completion sweeps it to the holders as locked profit.
    let idle = vault.read(&mut w, &V::idleAssetsCall {})._0;
    assert_eq!(idle, idle_before);
    let held = w.balance(steth, vault.address).unwrap();
    assert_eq!(held - idle + carol_got + alice_owed, realised);

    // Batch 2: Bob's. A reward reaches the strategy after his request (a donation to it), so the
    // batch realises more than his request's value: he gets the request value, the holders the
    // rest (swept to them as locked profit at the next completion). Anyone may process it once it
    // is a day old.
    let donation = IMockToken::mintCall {
        to: w.sm,
        amount: ether(2),
    };
    w.chain.tx(bob, steth, &donation).unwrap().ok().unwrap();
    w.chain.advance(VAULT_BATCH_TIMEOUT).unwrap();
    let before = vault.price(&mut w);
    vault
        .tx(&mut w, carol, &V::processBatchCall {})
        .ok()
        .unwrap();
    assert!(price_not_below(vault.price(&mut w), before));
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    vault
        .tx(
            &mut w,
            carol,
            &V::completeBatchCall {
                batchId: U256::from(2),
            },
        )
        .ok()
        .unwrap();
    let realised = vault.batch(&mut w, 2).assets;
    assert!(realised > bob_value);
    assert_eq!(
        vault
            .read(&mut w, &V::maxWithdrawCall { controller: bob })
            ._0,
        bob_value
    );
    let idle_before = vault.read(&mut w, &V::idleAssetsCall {})._0;
    let before = vault.price(&mut w);
    let funds = w.balance(steth, bob).unwrap();
    vault
        .tx(
            &mut w,
            bob,
            &V::redeemCall {
                shares: bob_shares,
                receiver: bob,
                controller: bob,
            },
        )
        .ok()
        .unwrap();
    assert_eq!(w.balance(steth, bob).unwrap(), funds + bob_value);
    // The rest of what the batch realised waits in the vault for the next sweep.
    let idle = vault.read(&mut w, &V::idleAssetsCall {})._0;
    assert_eq!(idle, idle_before);
    let held = w.balance(steth, vault.address).unwrap();
    assert_eq!(held - idle, realised - bob_value);
    assert!(price_not_below(vault.price(&mut w), before));
}

#[test]
fn a_rebasing_underlying_moves_the_price_with_its_rebase() {
    let (mut w, vault, token) = setup(|w| w.tokens.rebasing);
    let alice = w.stakers[0].address;
    vault
        .tx(
            &mut w,
            alice,
            &V::depositCall {
                assets: ether(10),
                receiver: alice,
            },
        )
        .ok()
        .unwrap();
    assert_eq!(vault.total_assets(&mut w), ether(10));
    // +10%: the strategy's live balance is 11 stETH for 1e19 shares and 1e3 virtual ones.
    let rebase = IMockToken::setRateCall {
        rate: WAD * U256::from(11) / U256::from(10),
    };
    w.chain.tx(alice, token, &rebase).unwrap().ok().unwrap();
    let balance = w.balance(token, w.sm).unwrap();
    let staked = mul_div(
        balance + U256::from(VIRTUAL),
        ether(10),
        ether(10) + U256::from(VIRTUAL),
        Rounding::Down,
    )
    .min(balance);
    assert_eq!(vault.total_assets(&mut w), staked);
    assert!(ether(11) - staked <= U256::from(2_000));
    // Alice redeems everything at the rebased value.
    let shares = ether(10) * U256::from(VIRTUAL);
    vault.request(&mut w, shares, alice).ok().unwrap();
    let value = vault
        .read(&mut w, &V::redeemRequestCall { controller: alice })
        ._0
        .assets;
    let curator = vault.curator.address;
    vault
        .tx(&mut w, curator, &V::processBatchCall {})
        .ok()
        .unwrap();
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    vault
        .tx(
            &mut w,
            alice,
            &V::completeBatchCall {
                batchId: U256::from(1),
            },
        )
        .ok()
        .unwrap();
    let realised = vault.batch(&mut w, 1).assets;
    let owed = value.min(realised);
    let funds = w.balance(token, alice).unwrap();
    vault
        .tx(
            &mut w,
            alice,
            &V::redeemCall {
                shares,
                receiver: alice,
                controller: alice,
            },
        )
        .ok()
        .unwrap();
    let got = w.balance(token, alice).unwrap() - funds;
    // The rebasing token's own unit rounding may shave a wei off the transfer.
    assert!(owed - got <= U256::from(1), "{got} vs {owed}");
    assert!(got > ether(10));
    assert_eq!(vault.supply(&mut w), U256::ZERO);
}

#[test]
fn a_first_deposit_after_the_operator_was_slashed_is_priced_at_its_value() {
    let (mut w, vault, steth) = setup(|w| w.tokens.steth);
    let avs = Actor::named("avs");
    w.chain.register(&avs).unwrap();
    let op = operator_with_allocation(&mut w, &vault, &avs, steth);
    // Half of the operator's half allocation: its max magnitude is 75% before the vault holds
    // anything.
    slash_set_one(&mut w, &avs, op, steth, WAD / U256::from(2));
    // Another restaker's stETH in the strategy: the StrategyManager's balance cap cannot hide an
    // overvalued position.
    let bob = w.stakers[1].address;
    w.deposit(bob, steth, ether(50)).unwrap().ok().unwrap();
    let alice = w.stakers[0].address;
    vault
        .tx(
            &mut w,
            alice,
            &V::depositCall {
                assets: ether(10),
                receiver: alice,
            },
        )
        .ok()
        .unwrap();
    // A fresh position forgives earlier slashing: 10 stETH in, 10 stETH of assets less the
    // scaling factor's rounding at m = 0.75 (3 wei, the depositor's), minted at 1:1,000.
    let assets = ether(10) - U256::from(3);
    assert_eq!(vault.total_assets(&mut w), assets);
    assert_eq!(vault.shares(&mut w, alice), assets * U256::from(VIRTUAL));
}

impl Vault {
    fn deposit(&self, w: &mut W, who: Address, assets: U256) -> Outcome {
        self.tx(
            w,
            who,
            &V::depositCall {
                assets,
                receiver: who,
            },
        )
    }

    /// Value of `controller`'s request when it was made.
    fn request_value(&self, w: &mut W, controller: Address) -> U256 {
        self.read(w, &V::redeemRequestCall { controller })._0.assets
    }

    fn complete(&self, w: &mut W, id: u64) -> Outcome {
        self.tx(
            w,
            w.stakers[2].address,
            &V::completeBatchCall {
                batchId: U256::from(id),
            },
        )
    }

    /// `processor` processes the open batch `id`, and after the withdrawal delay it is completed.
    fn settle(&self, w: &mut W, processor: Address, id: u64) -> Outcome {
        self.tx(w, processor, &V::processBatchCall {}).ok().unwrap();
        w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
        self.complete(w, id).ok().unwrap()
    }

    /// Claims all of `who`'s claimable shares; returns the assets paid.
    fn claim_all(&self, w: &mut W, who: Address) -> U256 {
        let shares = self.read(w, &V::maxRedeemCall { controller: who })._0;
        let asset = self.asset(w);
        let before = w.balance(asset, who).unwrap();
        self.tx(
            w,
            who,
            &V::redeemCall {
                shares,
                receiver: who,
                controller: who,
            },
        )
        .ok()
        .unwrap();
        w.balance(asset, who).unwrap() - before
    }

    fn asset(&self, w: &mut W) -> Address {
        self.read(w, &V::assetCall {})._0
    }

    fn delegate(&self, w: &mut W, operator: Address) -> Outcome {
        let call = V::setCuratorOperatorCall {
            operator,
            approverSignature: SignatureWithExpiry {
                signature: alloy_primitives::Bytes::new(),
                expiry: U256::ZERO,
            },
            approverSalt: B256::ZERO,
        };
        let curator = self.curator.address;
        self.tx(w, curator, &call)
    }
}

/// Review finding 1: the vault's operator undelegates it by force. Its deposit shares become a
/// DelegationManager withdrawal only the vault can complete: anyone records it (until then the
/// vault's accounting refuses to run rather than price the vault at zero), it counts in total
/// assets while pending, anyone completes it back into the vault as shares, the curator
/// delegates the vault again (to another operator: the same path moves it), and every holder
/// (a batch queued before, a request and a deposit after) gets exactly its value.
#[test]
fn a_forced_undelegation_loses_no_holder_anything() {
    let (mut w, vault, steth) = setup(|w| w.tokens.steth);
    let avs = Actor::named("avs");
    w.chain.register(&avs).unwrap();
    let op = operator_with_allocation(&mut w, &vault, &avs, steth);
    let [alice, bob, carol] = [0, 1, 2].map(|i| w.stakers[i].address);
    vault.deposit(&mut w, alice, ether(30)).ok().unwrap();
    vault.deposit(&mut w, bob, ether(20)).ok().unwrap();
    // Bob's batch is queued before the undelegation.
    vault
        .request(&mut w, ether(10) * U256::from(VIRTUAL), bob)
        .ok()
        .unwrap();
    let bob_value = vault.request_value(&mut w, bob);
    assert_eq!(bob_value, ether(10));
    let curator = vault.curator.address;
    vault
        .tx(&mut w, curator, &V::processBatchCall {})
        .ok()
        .unwrap();
    assert_eq!(vault.batch(&mut w, 1).operator, op);

    // The operator undelegates the vault: all 40 stETH of deposit shares are queued.
    let forced = w
        .chain
        .tx(
            op,
            w.delegation_manager,
            &IDelegationManager::undelegateCall {
                staker: vault.address,
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    assert!(forced.emitted(&StakerForceUndelegated {
        staker: vault.address,
        operator: op,
    }));
    // Until it is recorded, the vault refuses to price itself (it would read zero).
    let unrecorded = UnrecordedWithdrawal {
        nonce: U256::from(1),
    };
    let (ok, out) = w
        .chain
        .view(
            vault.address,
            vault.address,
            &V::totalAssetsCall {}.abi_encode(),
        )
        .unwrap();
    assert!(!ok);
    assert_eq!(
        UnrecordedWithdrawal::abi_decode(&out, true).unwrap(),
        unrecorded
    );
    let refused: UnrecordedWithdrawal = vault.deposit(&mut w, carol, ether(10)).revert().unwrap();
    assert_eq!(refused, unrecorded);
    let redelegate: UnrecordedWithdrawal = vault.delegate(&mut w, op).revert().unwrap();
    assert_eq!(redelegate, unrecorded);

    // Anyone records it, from the DelegationManager's own record; a wrong one is refused.
    let queued = queued_withdrawals(&mut w, vault.address);
    let pending = queued
        .iter()
        .find(|q| q.withdrawal.nonce == U256::from(1))
        .unwrap()
        .withdrawal
        .clone();
    assert_eq!(pending.scaledShares[0], ether(40));
    let record = |scaled: U256| V::recordWithdrawalCall {
        operator: op,
        startTimestamp: pending.startTimestamp,
        scaledShares: scaled,
    };
    let wrong: NotVaultWithdrawal = vault
        .tx(&mut w, carol, &record(ether(41)))
        .revert()
        .unwrap();
    assert!(!wrong.root.is_zero());
    let recorded = vault.tx(&mut w, carol, &record(ether(40))).ok().unwrap();
    assert!(recorded.emitted(&V::WithdrawalRecorded {
        nonce: U256::from(1),
        operator: op,
        scaledShares: ether(40),
    }));
    assert_eq!(vault.total_assets(&mut w), ether(40));
    assert_eq!(
        vault.read(&mut w, &V::delegatedOperatorCall {})._0,
        Address::ZERO
    );
    let again: NotVaultWithdrawal = vault
        .tx(&mut w, carol, &record(ether(40)))
        .revert()
        .unwrap();
    assert!(!again.root.is_zero());

    // Carol deposits while the vault is undelegated, at the full price.
    let price = vault.price(&mut w);
    let carol_shares = vault
        .read(&mut w, &V::previewDepositCall { assets: ether(10) })
        ._0;
    assert_eq!(
        carol_shares,
        mul_div(ether(10), price.1, price.0, Rounding::Down)
    );
    vault.deposit(&mut w, carol, ether(10)).ok().unwrap();
    assert_eq!(vault.shares(&mut w, carol), carol_shares);
    assert_eq!(vault.total_assets(&mut w), ether(50));

    // Alice asks for everything: more than can be withdrawn before the recorded withdrawal
    // completes, so the batch waits for it (nothing is queued short).
    let alice_shares = ether(30) * U256::from(VIRTUAL);
    vault.request(&mut w, alice_shares, alice).ok().unwrap();
    let alice_value = vault.request_value(&mut w, alice);
    let short: InsufficientLiquidity = vault
        .tx(&mut w, curator, &V::processBatchCall {})
        .revert()
        .unwrap();
    assert_eq!(short.needed, alice_value);
    assert_eq!(short.available, ether(10));

    // After the delay: Bob's batch pays exactly its value, the recorded withdrawal comes back as
    // deposit shares, and the curator delegates the vault to another operator.
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    vault.complete(&mut w, 1).ok().unwrap();
    assert_eq!(vault.claim_all(&mut w, bob), bob_value);
    let not_recorded: WithdrawalNotRecorded = vault
        .tx(
            &mut w,
            carol,
            &V::completeRecordedWithdrawalCall {
                nonce: U256::from(7),
            },
        )
        .revert()
        .unwrap();
    assert_eq!(not_recorded.nonce, U256::from(7));
    let back = vault
        .tx(
            &mut w,
            carol,
            &V::completeRecordedWithdrawalCall {
                nonce: U256::from(1),
            },
        )
        .ok()
        .unwrap();
    assert!(back.emitted(&V::RecordedWithdrawalCompleted {
        nonce: U256::from(1),
        depositShares: ether(40),
    }));
    assert_eq!(
        vault.read(&mut w, &V::recordedWithdrawalCountCall {})._0,
        U256::ZERO
    );
    assert_eq!(vault.total_assets(&mut w), ether(50));
    let op2 = w.register_operator("second-operator", 0).unwrap().address;
    vault.delegate(&mut w, op2).ok().unwrap();
    assert_eq!(vault.read(&mut w, &V::delegatedOperatorCall {})._0, op2);
    let taken: OperatorAlreadySet = vault.delegate(&mut w, op).revert().unwrap();
    assert_eq!(taken.operator, op2);
    assert_eq!(
        w.chain
            .read(
                w.delegation_manager,
                &IDelegationManager::operatorSharesCall {
                    operator: op2,
                    strategy: steth,
                }
            )
            .unwrap()
            ._0,
        ether(50)
    );

    // Alice's batch is queued under the operator the DelegationManager reports, and pays her
    // exactly her value.
    vault
        .tx(&mut w, curator, &V::processBatchCall {})
        .ok()
        .unwrap();
    assert_eq!(vault.batch(&mut w, 2).operator, op2);
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    vault.complete(&mut w, 2).ok().unwrap();
    assert_eq!(vault.claim_all(&mut w, alice), alice_value);
    assert_eq!(alice_value, ether(30));

    // The curator moves the vault back to the first operator: the move is a recorded
    // withdrawal, counted while pending, and Bob and Carol leave with exactly their value.
    let moved = vault
        .tx(&mut w, curator, &V::undelegateVaultCall {})
        .ok()
        .unwrap();
    assert!(moved.emitted(&V::WithdrawalRecorded {
        nonce: U256::from(3),
        operator: op2,
        scaledShares: ether(20),
    }));
    assert_eq!(vault.total_assets(&mut w), ether(20));
    vault.delegate(&mut w, op).ok().unwrap();
    let stranger: Unauthorized = vault
        .tx(&mut w, carol, &V::undelegateVaultCall {})
        .revert()
        .unwrap();
    assert_eq!(stranger.caller, carol);
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    vault
        .tx(
            &mut w,
            bob,
            &V::completeRecordedWithdrawalCall {
                nonce: U256::from(3),
            },
        )
        .ok()
        .unwrap();
    vault.request(&mut w, carol_shares, carol).ok().unwrap();
    let bob_rest = vault.shares(&mut w, bob);
    vault.request(&mut w, bob_rest, bob).ok().unwrap();
    let carol_value = vault.request_value(&mut w, carol);
    let bob_value = vault.request_value(&mut w, bob);
    assert_eq!((carol_value, bob_value), (ether(10), ether(10)));
    vault
        .tx(&mut w, curator, &V::processBatchCall {})
        .ok()
        .unwrap();
    assert_eq!(vault.batch(&mut w, 3).operator, op);
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    vault.complete(&mut w, 3).ok().unwrap();
    assert_eq!(vault.claim_all(&mut w, carol), carol_value);
    assert_eq!(vault.claim_all(&mut w, bob), bob_value);
    assert_eq!(vault.supply(&mut w), U256::ZERO);
}

/// Review finding 2: nobody can open (or add to) a request for another controller, so nobody can
/// hold up its redemption; a controller's ERC-7540 operator still can.
#[test]
fn nobody_but_the_controller_or_its_operator_opens_its_request() {
    let (mut w, vault, steth) = setup(|w| w.tokens.steth);
    let avs = Actor::named("avs");
    w.chain.register(&avs).unwrap();
    operator_with_allocation(&mut w, &vault, &avs, steth);
    let [alice, mallory, carol] = [0, 1, 2].map(|i| w.stakers[i].address);
    vault.deposit(&mut w, alice, ether(10)).ok().unwrap();
    vault.deposit(&mut w, mallory, ether(1)).ok().unwrap();
    // The attack: one share unit of Mallory's requested for Alice, then processed after the
    // timeout, would keep Alice out of every batch for a withdrawal delay.
    let attack = V::requestRedeemCall {
        shares: U256::from(1),
        controller: alice,
        owner: mallory,
    };
    let refused: NotControllerOrOperator = vault.tx(&mut w, mallory, &attack).revert().unwrap();
    assert_eq!(
        refused,
        NotControllerOrOperator {
            caller: mallory,
            controller: alice,
        }
    );
    assert_eq!(
        vault.shares(&mut w, mallory),
        ether(1) * U256::from(VIRTUAL)
    );
    assert_eq!(
        vault
            .read(&mut w, &V::redeemRequestCall { controller: alice })
            ._0,
        LrtRequest {
            requestId: U256::ZERO,
            shares: U256::ZERO,
            assets: U256::ZERO,
        }
    );
    // Alice redeems at once.
    let shares = ether(4) * U256::from(VIRTUAL);
    let out = vault.request(&mut w, shares, alice).ok().unwrap();
    assert!(out.emitted(&V::RedeemRequest {
        controller: alice,
        owner: alice,
        requestId: U256::from(1),
        sender: alice,
        shares,
    }));
    // With Alice's consent (her operator), Carol may add to Alice's request from her own shares.
    vault
        .tx(
            &mut w,
            alice,
            &V::setOperatorCall {
                operator: carol,
                approved: true,
            },
        )
        .ok()
        .unwrap();
    vault.deposit(&mut w, carol, ether(1)).ok().unwrap();
    let consented = V::requestRedeemCall {
        shares: U256::from(5),
        controller: alice,
        owner: carol,
    };
    vault.tx(&mut w, carol, &consented).ok().unwrap();
    assert_eq!(
        vault
            .read(&mut w, &V::redeemRequestCall { controller: alice })
            ._0
            .shares,
        shares + U256::from(5)
    );
}

/// Review finding 8 (fee on transfer): a deposit that delivers less than it states would stake
/// other holders' idle assets to make up the difference; the vault refuses it by name at the
/// first deposit, and nothing moves.
#[test]
fn a_fee_on_transfer_asset_is_refused_at_the_first_deposit() {
    let (mut w, vault, fee) = setup(|w| w.tokens.fee);
    let alice = w.stakers[0].address;
    let before = w.balance(fee, alice).unwrap();
    let refused: TransferShortfall = vault.deposit(&mut w, alice, ether(10)).revert().unwrap();
    assert_eq!(
        refused,
        TransferShortfall {
            token: fee,
            expected: ether(10),
            received: ether(10) - ether(10) / U256::from(100),
        }
    );
    assert_eq!(w.balance(fee, alice).unwrap(), before);
    assert_eq!(vault.shares(&mut w, alice), U256::ZERO);
    assert_eq!(vault.total_assets(&mut w), U256::ZERO);
}

/// Review finding 11: rewards the vault earns in another token than its asset are not stranded:
/// a claim of those tokens alone (anyone may send it) pays them to the treasury; the holders'
/// assets do not move.
#[test]
fn rewards_in_another_token_are_claimable_to_the_treasury() {
    let (mut w, vault, steth) = setup(|w| w.tokens.steth);
    let avs = Actor::named("avs");
    w.chain.register(&avs).unwrap();
    operator_with_allocation(&mut w, &vault, &avs, steth);
    let alice = w.stakers[0].address;
    vault.deposit(&mut w, alice, ether(10)).ok().unwrap();
    let other = w.tokens.rebasing;
    w.fund_rewards(&avs, other, ether(2)).unwrap();
    let interval = integration::REWARDS_INTERVAL;
    let start = (w.chain.timestamp() / interval + 1) * interval;
    let submit = IRewardsCoordinator::createAvsRewardsSubmissionCall {
        submissions: vec![RewardsSubmission {
            strategiesAndMultipliers: vec![StrategyAndMultiplier {
                strategy: steth,
                multiplier: alloy_primitives::aliases::U96::from(WAD64),
            }],
            token: other,
            amount: ether(2),
            startTimestamp: start,
            duration: interval,
        }],
    };
    w.chain
        .tx(avs.address, w.rewards, &submit)
        .unwrap()
        .ok()
        .unwrap();
    let end = start + interval;
    let now = w.chain.timestamp();
    w.chain.advance(end + 1 - now).unwrap();
    let (distribution, tree, index, _) = w.post_rewards_root(end).unwrap();
    let earned = distribution.earnings[&vault.address][&other];
    assert_eq!(earned, milli(1_800));
    w.chain.advance(ACTIVATION_DELAY).unwrap();
    let assets = vault.total_assets(&mut w);
    let claim = V::claimAndRestakeRewardsCall {
        claim: tree.claim(index, vault.address).unwrap(),
    };
    let bob = w.stakers[1].address;
    vault.tx(&mut w, bob, &claim).ok().unwrap();
    assert_eq!(w.balance(other, vault.treasury.address).unwrap(), earned);
    assert_eq!(w.balance(other, vault.address).unwrap(), U256::ZERO);
    assert_eq!(vault.total_assets(&mut w), assets);
}

/// Review finding 10: once the operator was slashed, every ERC-4626 preview means what it says
/// on the real contracts: `previewDeposit` is exactly what `deposit` mints (0 exactly where it
/// refuses with `ZeroShares`), `previewMint` exactly what `mint` takes, and `maxMint` under a cap
/// can be minted. (Before the fix, `previewDeposit(700)` here said 840,000 — the plain price,
/// blind to the scaling factor's rounding — and the deposit minted 829,200.)
#[test]
fn previews_match_the_actions_after_a_slash() {
    let (mut w, vault, steth) = setup(|w| w.tokens.steth);
    let avs = Actor::named("avs");
    w.chain.register(&avs).unwrap();
    let op = operator_with_allocation(&mut w, &vault, &avs, steth);
    let [alice, bob] = [0, 1].map(|i| w.stakers[i].address);
    vault.deposit(&mut w, alice, ether(10)).ok().unwrap();
    // A third of the half allocation: m = 5/6 (rounded down), which no deposit divides evenly.
    slash_set_one(&mut w, &avs, op, steth, WAD / U256::from(3));
    // 10 stETH at m = 0.833…: ⌊10e18·m/WAD⌋ = 8.333…330 (the operator's rounding up of the slash).
    let t = U256::from(8_333_333_333_333_333_330_u128);
    assert_eq!(vault.total_assets(&mut w), t);
    let preview = |w: &mut W, assets: u64| {
        vault
            .read(
                w,
                &V::previewDepositCall {
                    assets: U256::from(assets),
                },
            )
            ._0
    };
    // 700 wei gain the stake 691 (the DelegationManager's scaling factor rounds 9 wei away): the
    // preview is the mint, to the share, at 1,200 shares a wei.
    let shares_700 = U256::from(691 * 1_200);
    assert_eq!(preview(&mut w, 700), shares_700);
    let out = vault.deposit(&mut w, bob, U256::from(700)).ok().unwrap();
    assert!(out.emitted(&V::Deposit {
        sender: bob,
        owner: bob,
        assets: U256::from(700),
        shares: shares_700,
    }));
    assert_eq!(vault.shares(&mut w, bob), shares_700);
    assert_eq!(vault.total_assets(&mut w), t + U256::from(691));
    // 1 wei gains nothing: the preview says 0 and the deposit refuses by name.
    assert_eq!(preview(&mut w, 1), U256::ZERO);
    let one = vault.deposit(&mut w, bob, U256::from(1));
    assert_eq!(
        one.revert::<ZeroShares>().unwrap(),
        ZeroShares {
            assets: U256::from(1)
        }
    );
    // previewMint is exactly what mint takes: 1,035 wei for 1,234,567 shares (1,029 at the plain
    // price, raised by the rounding to the least deposit that mints them).
    let shares = U256::from(1_234_567_u64);
    let cost = vault.read(&mut w, &V::previewMintCall { shares })._0;
    assert_eq!(cost, U256::from(1_035));
    let paid_from = w.balance(steth, bob).unwrap();
    let out = vault
        .tx(
            &mut w,
            bob,
            &V::mintCall {
                shares,
                receiver: bob,
            },
        )
        .ok()
        .unwrap();
    assert_eq!(
        U256::from_be_slice(&out.output),
        cost,
        "mint returns what it took"
    );
    assert_eq!(w.balance(steth, bob).unwrap(), paid_from - cost);
    assert_eq!(vault.shares(&mut w, bob), shares_700 + shares);
    // A cap one stETH above total assets: maxMint is what a deposit of the whole room mints, and
    // minting it takes exactly the room (the rounding leaves 9 wei of room unused).
    let t = vault.total_assets(&mut w);
    let owner = w.owner.address;
    vault
        .tx(&mut w, owner, &V::setDepositCapCall { cap: t + ether(1) })
        .ok()
        .unwrap();
    let most = vault.read(&mut w, &V::maxMintCall { receiver: bob })._0;
    assert_eq!(most, U256::from(1_199_999_999_999_999_989_628_u128));
    assert_eq!(
        vault.read(&mut w, &V::previewMintCall { shares: most })._0,
        ether(1)
    );
    vault
        .tx(
            &mut w,
            bob,
            &V::mintCall {
                shares: most,
                receiver: bob,
            },
        )
        .ok()
        .unwrap();
    assert_eq!(
        vault.read(&mut w, &V::maxDepositCall { receiver: bob })._0,
        U256::from(9)
    );
}

/// Review finding 9: a just-in-time depositor cannot take restaked rewards earned before it held
/// shares. Mallory deposits 90 stETH next to Alice's 10 just before the vault's 5.4 stETH of
/// rewards are restaked, triggers the restake herself and requests half her shares at once:
/// they are worth exactly what she paid for them (before the fix, 45 + 0.45·4.86 = 47.187
/// stETH). The other half, requested an hour later, gains at most its part of the profit
/// unlocked in that hour; everything else stays with the holders.
#[test]
fn a_just_in_time_deposit_does_not_take_earlier_rewards() {
    let (mut w, vault, steth) = setup(|w| w.tokens.steth);
    let avs = Actor::named("avs");
    w.chain.register(&avs).unwrap();
    operator_with_allocation(&mut w, &vault, &avs, steth);
    let [alice, mallory] = [0, 2].map(|i| w.stakers[i].address);
    vault.deposit(&mut w, alice, ether(10)).ok().unwrap();
    let (_, _, end) = w.submit_rewards(&avs, steth, ether(6), 1).unwrap();
    let now = w.chain.timestamp();
    w.chain.advance(end + 1 - now).unwrap();
    let (distribution, tree, index, _) = w.post_rewards_root(end).unwrap();
    assert_eq!(distribution.earnings[&vault.address][&steth], milli(5_400));
    w.chain.advance(ACTIVATION_DELAY).unwrap();

    // Mallory enters at 1:1,000, restakes, and asks for half back at once.
    vault.deposit(&mut w, mallory, ether(90)).ok().unwrap();
    let shares = ether(90) * U256::from(VIRTUAL);
    assert_eq!(vault.shares(&mut w, mallory), shares);
    let claim = V::claimAndRestakeRewardsCall {
        claim: tree.claim(index, vault.address).unwrap(),
    };
    vault.tx(&mut w, mallory, &claim).ok().unwrap();
    let half = shares / U256::from(2);
    vault.request(&mut w, half, mallory).ok().unwrap();
    let at_once = vault
        .read(
            &mut w,
            &V::redeemRequestCall {
                controller: mallory,
            },
        )
        ._0
        .assets;
    assert_eq!(at_once, ether(45));

    // An hour later: the other half gains at most its part (45 of 100 stETH of holdings) of the
    // locked profit released in that hour.
    let locked = vault.read(&mut w, &V::lockedProfitCall {}).assets;
    let hour = 3_600;
    w.chain.advance(hour).unwrap();
    vault.request(&mut w, half, mallory).ok().unwrap();
    let later = vault
        .read(
            &mut w,
            &V::redeemRequestCall {
                controller: mallory,
            },
        )
        ._0
        .assets
        - at_once;
    let released = mul_div(
        locked,
        U256::from(hour),
        U256::from(UNLOCK_PERIOD),
        Rounding::Up,
    );
    let bound = mul_div(released, ether(45), ether(100), Rounding::Up);
    assert!(later - ether(45) <= bound, "{later} > 45 + {bound}");

    // Alice holds through the period. Once Mallory's batch is processed, completed and claimed,
    // she has been paid exactly her recorded values.
    w.chain.advance(u64::from(UNLOCK_PERIOD)).unwrap();
    let curator = vault.curator.address;
    vault.settle(&mut w, curator, 1);
    assert_eq!(vault.claim_all(&mut w, mallory), at_once + later);
    let alice_worth = vault.worth(&mut w, ether(10) * U256::from(VIRTUAL));
    // What her requested shares rode past their recorded values is left in the vault, to be
    // swept to the holders at the next batch completion: it and total assets are all the rest.
    let t = vault.total_assets(&mut w);
    let left_behind = w.balance(steth, vault.address).unwrap();
    assert_eq!(t + left_behind, ether(100) + milli(5_400) - at_once - later);
    let fee_shares = vault.shares(&mut w, vault.treasury.address);
    let treasury_worth = vault.worth(&mut w, fee_shares);
    assert!(alice_worth + treasury_worth <= t && t - alice_worth - treasury_worth <= U256::from(1));
}

/// Review finding 8: the vault's idle assets and batch reserves follow a rebasing asset. A
/// negative rebase while a completed batch waits to be claimed is shared: each claimer gets the
/// same fraction (before the fix the first got everything and the last claim reverted). A
/// positive rebase of held assets is not stranded: the next batch completion sweeps it to the
/// holders as locked profit.
#[test]
fn a_rebase_of_held_assets_is_shared_and_swept() {
    let (mut w, vault, token) = setup(|w| w.tokens.rebasing);
    let [alice, bob, carol] = [0, 1, 2].map(|i| w.stakers[i].address);
    for who in [alice, bob, carol] {
        vault.deposit(&mut w, who, ether(10)).ok().unwrap();
    }
    let shares = ether(10) * U256::from(VIRTUAL);
    for who in [alice, bob] {
        vault.request(&mut w, shares, who).ok().unwrap();
    }
    let curator = vault.curator.address;
    vault.settle(&mut w, curator, 1);
    assert_eq!(w.balance(token, vault.address).unwrap(), ether(20));
    // −10% while the 20 tokens wait: each claim is worth 9 now.
    let rate = |w: &mut W, r: U256| {
        let call = IMockToken::setRateCall { rate: r };
        w.chain.tx(carol, token, &call).unwrap().ok().unwrap();
    };
    rate(&mut w, WAD * U256::from(9) / U256::from(10));
    assert_eq!(w.balance(token, vault.address).unwrap(), ether(18));
    let max = |w: &mut W, who: Address| vault.read(w, &V::maxWithdrawCall { controller: who })._0;
    assert_eq!(max(&mut w, alice), ether(9));
    assert_eq!(vault.claim_all(&mut w, alice), ether(9));
    // Carol requests a quarter (worth 2.25 now: her stake fell 10% too); her batch completes
    // while Bob's 10 booked units still hold only 9: it is booked at that ratio, and she is owed
    // her request's value, not 10% less again.
    let quarter = shares / U256::from(4);
    vault.request(&mut w, quarter, carol).ok().unwrap();
    let value = vault
        .read(&mut w, &V::redeemRequestCall { controller: carol })
        ._0
        .assets;
    w.chain.advance(VAULT_BATCH_TIMEOUT).unwrap();
    vault.settle(&mut w, carol, 2);
    let owed = value.min(vault.batch(&mut w, 2).assets * U256::from(9) / U256::from(10));
    // (Booked as 2.5 units less rounding; 3 wei of it lost to the roundings of both ways.)
    let m = max(&mut w, carol);
    assert!(m <= value && value - m <= U256::from(3), "{m} of {value}");
    // She claims in two parts (half the assets, then the rest of the shares): together no more
    // than in one (1 more wei to the token's own rounding on each transfer).
    let funds = w.balance(token, carol).unwrap();
    let withdraw = V::withdrawCall {
        assets: m / U256::from(2),
        receiver: carol,
        controller: carol,
    };
    vault.tx(&mut w, carol, &withdraw).ok().unwrap();
    let rest = vault.claim_all(&mut w, carol);
    let paid = w.balance(token, carol).unwrap() - funds;
    assert!(rest < m);
    assert!(
        paid <= owed && value - paid <= U256::from(5),
        "{paid} of {value}"
    );
    // Bob's 10 units are still worth 9 (and the wei Carol's roundings left behind).
    let bob_max = max(&mut w, bob);
    assert!(bob_max >= ether(9) && bob_max - ether(9) <= U256::from(1));
    let got = vault.claim_all(&mut w, bob);
    assert!(got <= bob_max && bob_max - got <= U256::from(1));
    // Carol requests half in batch 3; +10% while it waits: she is paid the lower of her request's
    // value and what the batch realised, and the 10% on top stays in the vault.
    vault
        .request(&mut w, shares / U256::from(2), carol)
        .ok()
        .unwrap();
    let value = vault
        .read(&mut w, &V::redeemRequestCall { controller: carol })
        ._0
        .assets;
    w.chain.advance(VAULT_BATCH_TIMEOUT).unwrap();
    vault.settle(&mut w, carol, 3);
    rate(&mut w, WAD * U256::from(99) / U256::from(100));
    let owed = value.min(vault.batch(&mut w, 3).assets);
    // What arrives is 1 wei short: the token's own share rounding on transfer (as stETH's).
    assert_eq!(vault.claim_all(&mut w, carol), owed - U256::from(1));
    // Left in the vault: the 10% on top of her batch, and the roundings' wei.
    let surplus = w.balance(token, vault.address).unwrap();
    assert!(surplus >= milli(450) && surplus - milli(450) <= U256::from(2));
    // The next completion (batch 3) sweeps it to idle as locked profit; after the unlock period
    // it is in total assets.
    vault
        .request(&mut w, shares / U256::from(10), carol)
        .ok()
        .unwrap();
    w.chain.advance(VAULT_BATCH_TIMEOUT).unwrap();
    vault
        .tx(&mut w, carol, &V::processBatchCall {})
        .ok()
        .unwrap();
    let left = vault.shares(&mut w, carol);
    let worth = vault.worth(&mut w, left);
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    let out = vault.complete(&mut w, 4).ok().unwrap();
    let locked = vault.read(&mut w, &V::lockedProfitCall {});
    // Swept: what the vault held above its booked units and what claims left behind (all but a
    // booked wei of rounding).
    let event = out
        .logs
        .iter()
        .find_map(|l| V::ProfitLocked::decode_raw_log(l.topics.iter().copied(), &l.data, true).ok())
        .unwrap();
    assert!(event.profit <= surplus && surplus - event.profit <= U256::from(2));
    assert_eq!(
        (event.lockedShares, event.fullyUnlockedAt),
        (
            locked.shares,
            w.chain.timestamp() + u64::from(UNLOCK_PERIOD)
        )
    );
    assert_eq!(
        locked.fullyUnlockedAt,
        w.chain.timestamp() + u64::from(UNLOCK_PERIOD)
    );
    // The locked shares hold the surplus (less their roundings down: 3 wei), so Carol's shares are not
    // worth more at once (the strategy's own rounding moves the stake by wei)...
    assert!(locked.assets <= event.profit && event.profit - locked.assets <= U256::from(3));
    let at_once = vault.worth(&mut w, left);
    assert!(at_once <= worth);
    // ... and after the unlock period she, the only holder, has all of it but the virtual
    // shares' part.
    w.chain.advance(u64::from(UNLOCK_PERIOD)).unwrap();
    assert_eq!(vault.read(&mut w, &V::idleAssetsCall {})._0, event.profit);
    let gain = vault.worth(&mut w, left) - at_once;
    assert!(
        gain <= event.profit && event.profit - gain <= U256::from(4),
        "{gain}"
    );
}

/// Review of finding 9's fix: locked profit is held as shares, so a slash while it unlocks
/// falls on it pro rata like on every share. Alice's 10 stETH and 5.4 stETH of restaked rewards
/// (locked), then a quarter of the stake is slashed: her shares lose exactly a quarter of their
/// worth — not the whole slash of the locked profit too — and once unlocked they hold three
/// quarters of everything but the fee.
#[test]
fn locked_profit_bears_a_slash_like_every_share() {
    let (mut w, vault, steth) = setup(|w| w.tokens.steth);
    let avs = Actor::named("avs");
    w.chain.register(&avs).unwrap();
    let op = operator_with_allocation(&mut w, &vault, &avs, steth);
    let alice = w.stakers[0].address;
    vault.deposit(&mut w, alice, ether(10)).ok().unwrap();
    let (_, _, end) = w.submit_rewards(&avs, steth, ether(6), 1).unwrap();
    let now = w.chain.timestamp();
    w.chain.advance(end + 1 - now).unwrap();
    let (_, tree, index, _) = w.post_rewards_root(end).unwrap();
    w.chain.advance(ACTIVATION_DELAY).unwrap();
    let claim = V::claimAndRestakeRewardsCall {
        claim: tree.claim(index, vault.address).unwrap(),
    };
    vault.tx(&mut w, alice, &claim).ok().unwrap();
    let shares = ether(10) * U256::from(VIRTUAL);
    assert_eq!(vault.worth(&mut w, shares), ether(10));
    // Half of the operator's half allocation: its magnitude, and the vault's stake, fall to 3/4.
    slash_set_one(&mut w, &avs, op, steth, WAD / U256::from(2));
    // 15.4 · 3/4 = 11.55 stETH in the vault; Alice's 10 are worth 7.5 (with the locked profit
    // kept as assets outside total assets, her shares bore the locked profit's part of the
    // slash too).
    assert_eq!(vault.total_assets(&mut w), milli(11_550));
    assert_eq!(vault.worth(&mut w, shares), milli(7_500));
    // Unlocked: 3/4 of (15.4 less the 0.54 fee) is Alice's, 3/4 of the fee the treasury's.
    w.chain.advance(u64::from(UNLOCK_PERIOD)).unwrap();
    assert_eq!(vault.worth(&mut w, shares), milli(11_145) - U256::from(1));
    let fee_shares = vault.shares(&mut w, vault.treasury.address);
    assert_eq!(vault.worth(&mut w, fee_shares), milli(405));
}
