#!/usr/bin/env bash
# Every check of the project, from a fresh machine: install the toolchain and tools, then
# formatting, lints (warnings are errors), the contract build with its 24,576-byte size gate, and
# all tests (unit, property, devnode, integration on the devnode, build-pipeline, ABI staleness,
# the demo run to its end) and the method coverage of the integration suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# Contracts first: the integration suite runs their artifacts (target/stylus) on the devnode.
cargo run -q --locked -p scripts --bin build-contracts -- --check-markdown BENCHMARKS.md
# Every world of the suite whose six contracts are all real records which selectors each program
# ran to success; the coverage check then fails for any ABI method that never did.
export RESTAKING_COVERAGE_DIR="$PWD/target/coverage"
rm -rf "$RESTAKING_COVERAGE_DIR"
cargo test --workspace --locked
cargo test --locked -p integration --test coverage
# The ABI-export helpers only compile with `export-abi` (std + alloy's JSON ABI), which no
# workspace build enables; test them on their own.
cargo test --locked -p restaking-abi --features export-abi --lib export
