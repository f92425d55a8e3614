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
cargo run -q --locked -p scripts --bin build-contracts -- --check-markdown BENCHMARKS.md
