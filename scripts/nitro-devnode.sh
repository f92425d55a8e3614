#!/usr/bin/env bash
# Starts a real Nitro dev node (chain 412346, prefunded dev account) on http://localhost:8547 with
# Docker, for running the suite or the demo against it:
#   ./scripts/nitro-devnode.sh
#   NITRO_RPC_URL=http://localhost:8547 ./scripts/test.sh
#   cargo run -p scripts --bin demo -- --rpc-url http://localhost:8547
# Needs a Docker engine (not available on every machine; the embedded devnode is the default).
set -euo pipefail
image="offchainlabs/nitro-node:${NITRO_NODE_VERSION:-v3.7.1-926f1ab}"
if ! docker info >/dev/null 2>&1; then
    echo "nitro-devnode: no Docker engine here; use the embedded devnode (the default)" >&2
    exit 1
fi
docker rm -f nitro-dev >/dev/null 2>&1 || true
docker run --rm -d --name nitro-dev -p 8547:8547 "$image" \
    --dev --http.addr 0.0.0.0 --http.api=net,web3,eth,arb,debug >/dev/null
for _ in $(seq 1 60); do
    if curl -sf -X POST -H 'content-type: application/json' \
        --data '{"jsonrpc":"2.0","id":1,"method":"net_version","params":[]}' http://localhost:8547 >/dev/null; then
        echo "nitro dev node ready on http://localhost:8547 (chain 412346)"
        exit 0
    fi
    sleep 1
done
echo "nitro-devnode: the node did not answer within 60 s" >&2
exit 1
