#!/usr/bin/env bash
# List load: COUNT VirtualServices on an embedded silo (SQLite), then on 3 silos sharing redis-server (AOF, fsync
# always); lists timed by bench/ListLoad, once right after a restart of the silos (the indexes refill) and again.
# Prints markdown rows (see bench/README.md) and each silo's resident memory.
#   bench/run-list-load.sh [COUNT] [NAMESPACES]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"; namespaces="${2:-10}"
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/ListLoad -c Release -nologo -clp:ErrorsOnly >/dev/null
silo="src/Silo/bin/Release/net10.0/mesh-silo.dll"
load="bench/ListLoad/bin/Release/net10.0/ListLoad.dll"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

rss() { echo "$(( $(ps -o rss= -p "$1") / 1024 )) MB"; }
wait_ready() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.2; done; echo "silo on $1 never became ready"; exit 1; }

embedded() {
  dotnet "$silo" --data "$work/data" --api-port 25020 --api-http-port 25080 --monitoring-port 25014 --xds-port 25010 --xds-secure-port 25012 --silo-port 21111 --gateway-port 23000 >>"$work/embedded.log" 2>&1 &
  pids+=($!); embedded_pid=$!
  wait_ready 25014
}

echo "## embedded (SQLite)"
embedded
dotnet "$load" --server http://127.0.0.1:25020 --count "$count" --namespaces "$namespaces" --label embedded
echo "RSS: $(rss $embedded_pid)"
kill -TERM "$embedded_pid"; wait "$embedded_pid" 2>/dev/null || true
echo "### after a restart"
embedded
dotnet "$load" --server http://127.0.0.1:25020 --count "$count" --namespaces "$namespaces" --label "embedded, restarted" --no-apply --repeats 1
echo "RSS: $(rss $embedded_pid)"
kill -9 "$embedded_pid"

echo "## cluster: 3 silos on Redis (appendfsync always)"
mkdir -p "$work/redis"
redis-server --port 26379 --bind 127.0.0.1 --dir "$work/redis" --appendonly yes --appendfsync always --save '' >"$work/redis.log" 2>&1 &
pids+=($!)
sleep 1
head -c 32 /dev/urandom | base64 > "$work/ca.key" # the CA's at-rest key, shared by every silo of the cluster
servers=(); silos=()
for i in 0 1 2; do
  dotnet "$silo" --store redis --redis 127.0.0.1:26379 --cluster-id "bench-$$" --service-id "bench-$$" \
    --ca-encryption-key-file "$work/ca.key" --xds-port $((25100 + i)) --xds-secure-port $((25110 + i)) \
    --api-port $((25120 + i)) --api-http-port $((25180 + i)) --monitoring-port $((25114 + i)) \
    --silo-port $((21211 + i)) --gateway-port $((23100 + i)) >"$work/silo$i.log" 2>&1 &
  pids+=($!); silos+=($!); servers+=(--server "http://127.0.0.1:$((25120 + i))")
done
for i in 0 1 2; do wait_ready $((25114 + i)); done
dotnet "$load" "${servers[@]}" --count "$count" --namespaces "$namespaces" --label "3 silos + Redis"
for p in "${silos[@]}"; do echo "silo RSS: $(rss "$p")"; done
