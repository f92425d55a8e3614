#!/usr/bin/env bash
# Every check of the project, from a fresh machine: install the toolchain and tools, then
# formatting, lints (warnings are errors), all tests (unit, property, build-pipeline and ABI
# staleness tests), and the contract build with its 24,576-byte size gate.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
# The ABI-export helpers only compile with `export-abi` (std + alloy's JSON ABI), which no
# workspace build enables; test them on their own.
cargo test --locked -p restaking-abi --features export-abi --lib export
cargo run -q --locked -p scripts --bin build-contracts -- --check-markdown BENCHMARKS.md
