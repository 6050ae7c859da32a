#!/usr/bin/env bash
# What waiting for a replica costs an apply: 3 silos on a Redis under Sentinel (a primary, two replicas, three
# sentinels; AOF, fsync always), measured with --redis-replica-acks 0 (no WAIT) and 1 (the default with
# Sentinel), alternating in the same run so that both see the same machine.
#   bench/run-sentinel-apply-load.sh [COUNT] [CONCURRENCY] [ROUNDS]    (CONFIG=Debug to skip a Release build)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-2000}"; concurrency="${2:-16}"; rounds="${3:-2}"; config="${CONFIG:-Release}"
dotnet build src/Silo -c "$config" -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/ApplyLoad -c "$config" -nologo -clp:ErrorsOnly >/dev/null
silo="src/Silo/bin/$config/net10.0/mesh-silo.dll"
load="bench/ApplyLoad/bin/$config/net10.0/ApplyLoad.dll"
work="$(mktemp -d)"; pids=(); silos=()
cleanup() { for p in "${pids[@]}" "${silos[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
wait_ready() { for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.2; done; echo "silo on $1 never became ready"; exit 1; }

base=27000
primary=$((base + 379))
for port in $primary $((primary + 1)) $((primary + 2)); do
  mkdir -p "$work/redis-$port"
  replica=(); [[ $port == "$primary" ]] || replica=(--replicaof 127.0.0.1 "$primary")
  redis-server --port "$port" --bind 127.0.0.1 --dir "$work/redis-$port" --appendonly yes --appendfsync always --save '' \
    "${replica[@]}" >"$work/redis-$port.log" 2>&1 &
  pids+=($!)
done
sentinels=""
for port in $((base + 26)) $((base + 27)) $((base + 28)); do
  printf 'port %s\nbind 127.0.0.1\ndir %s\nsentinel monitor mesh 127.0.0.1 %s 2\nsentinel down-after-milliseconds mesh 1000\n' \
    "$port" "$work" "$primary" >"$work/sentinel-$port.conf"
  redis-server "$work/sentinel-$port.conf" --sentinel >"$work/sentinel-$port.log" 2>&1 &
  pids+=($!); sentinels+="127.0.0.1:$port,"
done
redis="${sentinels}serviceName=mesh"
until [[ "$(redis-cli -p "$((base + 26))" sentinel replicas mesh 2>/dev/null | grep -c '^name$' || true)" == 2 ]]; do sleep 0.5; done
head -c 32 /dev/urandom | base64 >"$work/ca.key"

echo "| replica acks | operation | count | concurrency | ops/s | p50 ms | p95 ms | p99 ms | errors |"
for round in $(seq 1 "$rounds"); do
  for acks in 0 1; do
    servers=(); silos=()
    for i in 0 1 2; do
      dotnet "$silo" --store redis --redis "$redis" --redis-replica-acks "$acks" --cluster-id "bench-$$-$round-$acks" --service-id "bench-$$" \
        --ca-encryption-key-file "$work/ca.key" --xds-port $((base + 100 + i)) --xds-secure-port $((base + 110 + i)) \
        --api-port $((base + 120 + i)) --api-http-port $((base + 180 + i)) --monitoring-port $((base + 140 + i)) \
        --silo-port $((base + 211 + i)) --gateway-port $((base + 311 + i)) >"$work/silo-$round-$acks-$i.log" 2>&1 &
      silos+=($!); servers+=(--server "http://127.0.0.1:$((base + 120 + i))")
    done
    for i in 0 1 2; do wait_ready $((base + 140 + i)); done
    dotnet "$load" "${servers[@]}" --count "$count" --concurrency "$concurrency" --label "$acks" | grep 'apply (create)'
    for p in "${silos[@]}"; do kill "$p"; done
    for p in "${silos[@]}"; do wait "$p" 2>/dev/null || true; done
    silos=()
  done
done
