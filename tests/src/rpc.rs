//! The RPC backend: the same scenarios against a real Nitro dev node (`NITRO_RPC_URL`).
//!
//! Deployment is what `cargo stylus deploy` does without a constructor: a CREATE transaction whose
//! init code is the 43-byte Stylus prelude + the program ([`devnode::stylus_init_code`]), then
//! `ArbWasm.activateProgram(address)` paying the data fee (estimated with `eth_call`, sent with
//! 20% headroom; the excess is refunded). A constructor runs as a second transaction from the
//! deployer — fine for tests; production deployments use StylusDeployer to make it atomic.
//!
//! Every actor a scenario uses is registered with its key; the backend signs its transactions
//! locally (legacy gas price, as Nitro's dev chain accepts) and funds it from the dev account.
//! Revert data, which receipts do not carry, is recovered by replaying the call with `eth_call`.

use std::{collections::HashMap, future::IntoFuture};

use alloy::{
    consensus::TxEnvelope,
    eips::BlockNumberOrTag,
    network::{EthereumWallet, TransactionBuilder},
    primitives::{address, Address, Bytes, TxKind, U256},
    providers::{Provider, RootProvider},
    rpc::{
        client::RpcClient,
        json_rpc::ErrorPayload,
        types::{BlockTransactionsKind, TransactionRequest},
    },
    signers::local::PrivateKeySigner,
};
use alloy_sol_types::{sol, SolCall};
use devnode::Log;
use eyre::{eyre, Result, WrapErr};
use tokio::runtime::Runtime;

use crate::{Actor, Backend, Outcome};

/// Private key of Nitro's prefunded `--dev` account (`0x3f1E…2d0E`).
pub const NITRO_DEV_KEY: &str =
    "0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659";
/// The ArbWasm precompile.
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
/// Gas limit for transactions whose estimate fails (they are expected to revert).
const FALLBACK_GAS: u64 = 30_000_000;

sol! {
    function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
}

/// A Nitro node over JSON-RPC.
pub struct RpcBackend {
    runtime: Runtime,
    provider: RootProvider,
    signers: HashMap<Address, PrivateKeySigner>,
    funder: Address,
    chain_id: u64,
}

impl RpcBackend {
    /// Connects to `url` and uses `funder_key` (hex) to pay for actors' gas.
    ///
    /// # Errors
    /// If the URL or key is malformed or the node does not answer.
    pub fn connect(url: &str, funder_key: &str) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let url: reqwest::Url = url.parse().wrap_err_with(|| format!("parsing {url}"))?;
        let transport = alloy_transport_http::Http::new(url);
        let provider = RootProvider::new(RpcClient::new(transport, true));
        let chain_id = runtime
            .block_on(provider.get_chain_id())
            .wrap_err("asking the node for its chain id")?;
        let funder: PrivateKeySigner = funder_key.parse().wrap_err("parsing the funder key")?;
        let funder_address = funder.address();
        let mut signers = HashMap::new();
        signers.insert(funder_address, funder);
        Ok(Self {
            runtime,
            provider,
            signers,
            funder: funder_address,
            chain_id,
        })
    }

    /// The account of the key given to [`Self::connect`].
    #[must_use]
    pub fn funder(&self) -> Address {
        self.funder
    }

    async fn submit(
        &self,
        from: Address,
        to: TxKind,
        data: &[u8],
        value: U256,
    ) -> Result<(Outcome, Option<Address>)> {
        let signer = self
            .signers
            .get(&from)
            .ok_or_else(|| eyre!("no key registered for {from}"))?;
        let nonce = self.provider.get_transaction_count(from).await?;
        let gas_price = self.provider.get_gas_price().await?;
        let mut tx = TransactionRequest::default()
            .with_from(from)
            .with_input(Bytes::copy_from_slice(data))
            .with_value(value)
            .with_nonce(nonce)
            .with_gas_price(gas_price)
            .with_chain_id(self.chain_id);
        tx.to = Some(to);
        let gas = self
            .provider
            .estimate_gas(&tx)
            .await
            .unwrap_or(FALLBACK_GAS);
        tx.set_gas_limit(gas);
        let envelope: TxEnvelope = tx
            .clone()
            .build(&EthereumWallet::from(signer.clone()))
            .await?;
        let receipt = self
            .provider
            .send_tx_envelope(envelope)
            .await?
            .get_receipt()
            .await?;
        let logs = receipt
            .inner
            .logs()
            .iter()
            .map(|l| Log {
                address: l.address(),
                topics: l.topics().to_vec(),
                data: l.data().data.clone(),
            })
            .collect();
        let status = receipt.status();
        let output = if status {
            Bytes::new()
        } else {
            // Receipts carry no revert data: replay the call at the block before.
            let block = receipt.block_number.map_or(BlockNumberOrTag::Latest, |n| {
                BlockNumberOrTag::Number(n.saturating_sub(1))
            });
            match self.provider.call(&tx).block(block.into()).await {
                Ok(_) => Bytes::new(),
                Err(e) => e
                    .as_error_resp()
                    .and_then(ErrorPayload::as_revert_data)
                    .unwrap_or_default(),
            }
        };
        let outcome = Outcome {
            status,
            output,
            gas_used: receipt.gas_used,
            logs,
        };
        Ok((outcome, receipt.contract_address))
    }
}

impl Backend for RpcBackend {
    fn deploy(
        &mut self,
        from: Address,
        code: &[u8],
        constructor: Option<&[u8]>,
    ) -> Result<Address> {
        let init = devnode::stylus_init_code(code);
        let (created, address) =
            self.runtime
                .block_on(self.submit(from, TxKind::Create, &init, U256::ZERO))?;
        let program = created.ok()?;
        let program = address.ok_or_else(|| {
            eyre!(
                "CREATE receipt without an address ({} gas)",
                program.gas_used
            )
        })?;
        // Estimate the data fee with a generous value, then pay it plus 20% (the rest is refunded).
        let call = activateProgramCall { program }.abi_encode();
        let probe = TransactionRequest::default()
            .with_from(self.funder)
            .with_to(ARB_WASM)
            .with_input(Bytes::from(call.clone()))
            .with_value(U256::from(10u64).pow(U256::from(18u64)));
        let fee = self.runtime.block_on(async {
            let out = self
                .provider
                .call(&probe)
                .await
                .wrap_err("estimating the activation fee")?;
            Ok::<_, eyre::Report>(activateProgramCall::abi_decode_returns(&out, true)?.dataFee)
        })?;
        let value = fee + fee / U256::from(5u64);
        let (activation, _) = self.runtime.block_on(self.submit(
            self.funder,
            TxKind::Call(ARB_WASM),
            &call,
            value,
        ))?;
        activation.ok().wrap_err("activateProgram")?;
        if let Some(data) = constructor {
            let (init, _) = self.runtime.block_on(self.submit(
                from,
                TxKind::Call(program),
                data,
                U256::ZERO,
            ))?;
            init.ok().wrap_err("constructor")?;
        }
        Ok(program)
    }

    fn send(&mut self, from: Address, to: Address, data: &[u8]) -> Result<Outcome> {
        Ok(self
            .runtime
            .block_on(self.submit(from, TxKind::Call(to), data, U256::ZERO))?
            .0)
    }

    fn view(&mut self, from: Address, to: Address, data: &[u8]) -> Result<(bool, Bytes)> {
        let tx = TransactionRequest::default()
            .with_from(from)
            .with_to(to)
            .with_input(Bytes::copy_from_slice(data));
        Ok(
            match self.runtime.block_on(self.provider.call(&tx).into_future()) {
                Ok(out) => (true, out),
                Err(e) => match e.as_error_resp().and_then(ErrorPayload::as_revert_data) {
                    Some(data) => (false, data),
                    None => return Err(eyre!("eth_call failed: {e}")),
                },
            },
        )
    }

    fn chain_id(&self) -> u64 {
        self.chain_id
    }

    fn timestamp(&self) -> u64 {
        self.runtime
            .block_on(
                self.provider
                    .get_block_by_number(BlockNumberOrTag::Latest, BlockTransactionsKind::Hashes),
            )
            .ok()
            .flatten()
            .map_or(0, |b| b.header.timestamp)
    }

    fn advance(&mut self, seconds: u64) -> Result<()> {
        // Nitro stamps each new block with the wall clock; waiting one second more than asked
        // makes sure the next transaction's block is at least `seconds` later.
        std::thread::sleep(std::time::Duration::from_secs(seconds + 1));
        Ok(())
    }

    fn logs(&mut self, addresses: &[Address]) -> Result<Vec<rewards_calculator::EventLog>> {
        let filter = alloy::rpc::types::Filter::new()
            .address(addresses.to_vec())
            .from_block(0u64);
        let logs = self.runtime.block_on(self.provider.get_logs(&filter))?;
        let mut stamps: HashMap<u64, u64> = HashMap::new();
        let mut out = Vec::with_capacity(logs.len());
        for l in logs {
            let number = l
                .block_number
                .ok_or_else(|| eyre!("a log without a block"))?;
            let timestamp = match (l.block_timestamp, stamps.get(&number)) {
                (Some(t), _) | (None, Some(&t)) => t,
                (None, None) => {
                    let block = self
                        .runtime
                        .block_on(self.provider.get_block_by_number(
                            BlockNumberOrTag::Number(number),
                            BlockTransactionsKind::Hashes,
                        ))?
                        .ok_or_else(|| eyre!("block {number} not found"))?;
                    block.header.timestamp
                }
            };
            stamps.insert(number, timestamp);
            out.push(rewards_calculator::EventLog {
                address: l.address(),
                topics: l.topics().to_vec(),
                data: l.data().data.clone(),
                timestamp,
            });
        }
        Ok(out)
    }

    fn register(&mut self, actor: &Actor) -> Result<()> {
        if self
            .signers
            .insert(actor.address, actor.signer.clone())
            .is_some()
        {
            return Ok(());
        }
        // Gas money from the dev account.
        let funding = U256::from(10u64).pow(U256::from(17u64));
        let (funded, _) = self.runtime.block_on(self.submit(
            self.funder,
            TxKind::Call(actor.address),
            &[],
            funding,
        ))?;
        funded.ok().map(|_| ())
    }
}
