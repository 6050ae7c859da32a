#!/usr/bin/env bash
# xDS fan-out and convergence: N simulated proxyless clients, SotW then delta, on an embedded silo and on
# 3 silos over Redis (appendfsync always). Prints markdown rows (see bench/README.md).
#   bench/run-xds-load.sh [STREAMS] [SERVICES]
set -euo pipefail
cd "$(dirname "$0")/.."
streams="${1:-1000}"; services="${2:-1000}"
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/XdsLoad -c Release -nologo -clp:ErrorsOnly >/dev/null
silo="src/Silo/bin/Release/net10.0/mesh-silo.dll"
load="bench/XdsLoad/bin/Release/net10.0/XdsLoad.dll"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
wait_ready() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.2; done; echo "silo on $1 never became ready"; exit 1; }

echo "## embedded (SQLite), $streams streams, $services services"
dotnet "$silo" --data "$work/data" --api-port 26020 --api-http-port 26080 --monitoring-port 26014 --xds-port 26010 \
  --xds-secure-port 26012 --silo-port 22111 --gateway-port 24000 >"$work/embedded.log" 2>&1 &
pids+=($!); embedded=$!
wait_ready 26014
dotnet "$load" --api http://127.0.0.1:26020 --xds 127.0.0.1:26010 --streams "$streams" --services "$services" --silo-pid "$embedded" --label "1 silo"
dotnet "$load" --api http://127.0.0.1:26020 --xds 127.0.0.1:26010 --streams "$streams" --services "$services" --silo-pid "$embedded" --label "1 silo" --delta --no-setup | tail -1
kill -9 "$embedded"

echo "## 3 silos on Redis, $streams streams, $services services"
mkdir -p "$work/redis"
redis-server --port 26379 --bind 127.0.0.1 --dir "$work/redis" --appendonly yes --appendfsync always --save '' >"$work/redis.log" 2>&1 &
pids+=($!)
sleep 1
head -c 32 /dev/urandom | base64 > "$work/ca.key" # the CA's at-rest key, shared by every silo of the cluster
args=(); silo_pids=()
for i in 0 1 2; do
  dotnet "$silo" --store redis --redis 127.0.0.1:26379 --cluster-id "xb-$$" --service-id "xb-$$" \
    --ca-encryption-key-file "$work/ca.key" --xds-secure-port $((26130 + i)) \
    --api-port $((26120 + i)) --api-http-port $((26180 + i)) --monitoring-port $((26114 + i)) --xds-port $((26110 + i)) \
    --silo-port $((22211 + i)) --gateway-port $((24100 + i)) >"$work/silo$i.log" 2>&1 &
  pids+=($!); silo_pids+=(--silo-pid $!); args+=(--xds "127.0.0.1:$((26110 + i))")
done
for i in 0 1 2; do wait_ready $((26114 + i)); done
dotnet "$load" --api http://127.0.0.1:26120 "${args[@]}" --streams "$streams" --services "$services" "${silo_pids[@]}" --label "3 silos + Redis"
dotnet "$load" --api http://127.0.0.1:26120 "${args[@]}" --streams "$streams" --services "$services" "${silo_pids[@]}" --label "3 silos + Redis" --delta --no-setup | tail -1
