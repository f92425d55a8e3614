#!/usr/bin/env bash
# The main job, from a fresh machine: install the toolchain and tools, build the contracts, run
# the restaking lifecycle on the embedded devnode and print the report.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
exec cargo run -q --locked -p scripts --bin demo
