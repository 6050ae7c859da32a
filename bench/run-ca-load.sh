#!/usr/bin/env bash
# Workload certificate issuance: an embedded silo (SQLite), then 3 silos on redis-server with the load sent to
# one of them (the CA grain lives on one silo: the others forward). Prints Markdown rows (see bench/README.md).
#   bench/run-ca-load.sh [COUNT] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-2000}"; concurrency="${2:-16}"
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/CaLoad -c Release -nologo -clp:ErrorsOnly >/dev/null
silo="src/Silo/bin/Release/net10.0/mesh-silo.dll"
load="bench/CaLoad/bin/Release/net10.0/CaLoad.dll"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
rss() { echo "$(( $(ps -o rss= -p "$1") / 1024 )) MB"; }
wait_ready() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.2; done; echo "silo on $1 never became ready"; exit 1; }

echo "| setup | certificates | concurrency | per s | p50 ms | p95 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|---|---|"
dotnet "$silo" --data "$work/data" --api-port 27020 --api-http-port 27080 --monitoring-port 27014 --xds-port 27010 --xds-secure-port 27012 \
  --silo-port 21311 --gateway-port 23300 >"$work/embedded.log" 2>&1 &
pids+=($!); embedded=$!
wait_ready 27014
dotnet "$load" --api http://127.0.0.1:27020 --ca 127.0.0.1:27012 --count "$count" --concurrency "$concurrency" --label embedded
echo "embedded silo RSS after: $(rss $embedded)" >&2
kill -9 "$embedded"

mkdir -p "$work/redis"
redis-server --port 27379 --bind 127.0.0.1 --dir "$work/redis" --appendonly yes --appendfsync always --save '' >"$work/redis.log" 2>&1 &
pids+=($!)
sleep 1
head -c 32 /dev/urandom | base64 > "$work/ca.key"
for i in 0 1 2; do
  dotnet "$silo" --store redis --redis 127.0.0.1:27379 --cluster-id "ca-$$" --service-id "ca-$$" --ca-encryption-key-file "$work/ca.key" \
    --xds-port $((27100 + i)) --xds-secure-port $((27110 + i)) --api-port $((27120 + i)) --api-http-port $((27180 + i)) \
    --monitoring-port $((27114 + i)) --silo-port $((21411 + i)) --gateway-port $((23400 + i)) >"$work/silo$i.log" 2>&1 &
  pids+=($!)
done
for i in 0 1 2; do wait_ready $((27114 + i)); done
dotnet "$load" --api http://127.0.0.1:27120 --ca 127.0.0.1:27110 --count "$count" --concurrency "$concurrency" --label "3 silos + Redis"
