# Silos for the xDS benchmarks, sourced by bench/run-xds-load.sh and bench/run-scale.sh: a Redis, N silos on it (or
# one embedded silo on SQLite), ready-waits and cleanup. Ports from BASE (default 26000) up; SILO_ENV adds
# environment variables to every silo (e.g. SILO_ENV="DOTNET_gcServer=0").
# After start_*: silo_pids, xds_args (--xds ...), probe_args (--silo-pid ... --monitoring ...), api (URL).
BASE="${BASE:-26000}"
silo_dll="src/Silo/bin/Release/net10.0/mesh-silo.dll"
load_dll="bench/XdsLoad/bin/Release/net10.0/XdsLoad.dll"
work="$(mktemp -d)"; all_pids=()
cleanup() { for p in "${all_pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

build_bench() {
  dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
  dotnet build bench/XdsLoad -c Release -nologo -clp:ErrorsOnly >/dev/null
}

wait_ready() { for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.2; done; echo "silo on $1 never became ready" >&2; exit 1; }

# silo I ARGS...: starts silo number I with its own ports.
silo() {
  local i=$1; shift
  local p=$((BASE + 10 * i))
  env ${SILO_ENV:-} dotnet "$silo_dll" "$@" --api-port $((p + 1)) --api-http-port $((p + 2)) --monitoring-port $((p + 3)) \
    --xds-port $((p + 4)) --xds-secure-port $((p + 5)) --silo-port $((p + 6)) --gateway-port $((p + 7)) >"$work/silo$i.log" 2>&1 &
  all_pids+=($!); silo_pids+=($!)
  xds_args+=(--xds "127.0.0.1:$((p + 4))"); probe_args+=(--silo-pid $! --monitoring "127.0.0.1:$((p + 3))")
  [ -n "${api:-}" ] || api="http://127.0.0.1:$((p + 1))"
}

reset_silos() { silo_pids=(); xds_args=(); probe_args=(); api=""; }

start_embedded() {
  reset_silos
  silo 0 --data "$work/data-$RANDOM"
  wait_ready $((BASE + 3))
}

# start_cluster N: a fresh redis-server (AOF, appendfsync always) and N silos on it.
start_cluster() {
  reset_silos
  local n=$1 id="xb-$$-$RANDOM"
  mkdir -p "$work/$id"
  redis-server --port $((BASE + 379)) --bind 127.0.0.1 --dir "$work/$id" --appendonly yes --appendfsync always --save '' >"$work/redis.log" 2>&1 &
  all_pids+=($!); redis_pid=$!
  sleep 1
  head -c 32 /dev/urandom | base64 > "$work/ca.key" # the CA's at-rest key, shared by every silo of the cluster
  for i in $(seq 0 $((n - 1))); do
    silo "$i" --store redis --redis "127.0.0.1:$((BASE + 379))" --cluster-id "$id" --service-id "$id" --ca-encryption-key-file "$work/ca.key"
  done
  for i in $(seq 0 $((n - 1))); do wait_ready $((BASE + 10 * i + 3)); done
}

# keep_logs DIR NAME: the silos' logs, kept past the cleanup.
keep_logs() { mkdir -p "$1"; for f in "$work"/silo*.log; do cp "$f" "$1/$2-$(basename "$f")"; done; }

stop_silos() {
  for p in "${silo_pids[@]}" ${redis_pid:-}; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  redis_pid=""
}
