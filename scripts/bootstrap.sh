#!/usr/bin/env bash
# Installs what this project needs on a fresh machine (idempotent; sourced by scripts/test.sh):
# - the pinned nightly from rust-toolchain.toml with rust-src, rustfmt, clippy and the wasm32
#   target (RUSTUP_AUTO_INSTALL=0 machines do not install it on first use);
# - binaryen (wasm-opt) and wabt (wasm-validate) from Debian when missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
toolchain="$(sed -n 's/^channel = "\(.*\)"/\1/p' "$root/rust-toolchain.toml")"

if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1 \
    || ! rustup component list --toolchain "$toolchain" --installed 2>/dev/null | grep -q '^rust-src' \
    || ! rustup target list --toolchain "$toolchain" --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    echo "bootstrap: installing Rust $toolchain (rust-src, rustfmt, clippy, wasm32-unknown-unknown)"
    rustup toolchain install "$toolchain" --profile minimal \
        --component rust-src,rustfmt,clippy --target wasm32-unknown-unknown
fi

missing=()
command -v wasm-opt >/dev/null 2>&1 || missing+=(binaryen)
command -v wasm-validate >/dev/null 2>&1 || missing+=(wabt)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]} with apt-get"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
