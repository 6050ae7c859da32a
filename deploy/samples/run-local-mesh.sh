#!/usr/bin/env bash
# Runs the whole local mesh on loopback: one silo (the control plane) and bookinfo's five workloads
# (productpage v1, reviews v1/v2/v3, ratings v1), each an app process plus its mesh-sidecar.
#
#   deploy/samples/run-local-mesh.sh [--no-build] [--control-plane-only] [--plaintext]
#
# Each sidecar gets its workload identity from the control plane's CA (a bootstrap token per service account)
# and speaks xDS over mTLS (15012) and mTLS to the other sidecars; --plaintext starts them without identities,
# on plaintext xDS (15010), as before.
#
# Ctrl-C stops everything. Logs: $RUN_DIR/logs/NAME.log (the folder is printed at start).
# Ports can be moved with MESH_XDS_PORT (15010), MESH_XDS_SECURE_PORT (15012), MESH_API_PORT (15020),
# MESH_API_HTTP_PORT (15080), MESH_MONITORING_PORT (15014), MESH_SILO_PORT, MESH_GATEWAY_PORT (Orleans' own,
# 11111 and 30000), SIDECAR_BASE_PORT (16000: workload k uses base+10k .. base+10k+9) and APP_BASE_PORT (9081).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=1
WORKLOADS_TOO=1
SECURED=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    --plaintext) SECURED=0 ;;
    --control-plane-only) WORKLOADS_TOO=0 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

XDS_PORT=${MESH_XDS_PORT:-15010}
XDS_SECURE_PORT=${MESH_XDS_SECURE_PORT:-15012}
API_PORT=${MESH_API_PORT:-15020}
API_HTTP_PORT=${MESH_API_HTTP_PORT:-15080}
MONITORING_PORT=${MESH_MONITORING_PORT:-15014}
SIDECAR_BASE=${SIDECAR_BASE_PORT:-16000}
APP_BASE=${APP_BASE_PORT:-9081}
NAMESPACE=bookinfo
SAMPLES=$ROOT/deploy/samples/bookinfo/local

SILO=$ROOT/src/Silo/bin/Release/net10.0/mesh-silo
# The NativeAOT sidecar, as users run it (MESH_SIDECAR_BIN=.../net10.0/mesh-sidecar runs the JIT build).
RID=$(dotnet --info 2>/dev/null | awk '/^ *RID:/{print $2; exit}')
SIDECAR=${MESH_SIDECAR_BIN:-$ROOT/src/Sidecar/bin/Release/net10.0/${RID:-linux-x64}/publish/mesh-sidecar}
MESHCTL=$ROOT/src/Cli/bin/Release/net10.0/meshctl
BOOKINFO=$ROOT/deploy/samples/bookinfo/app/bin/Release/net10.0/bookinfo

# Workload k: name, app, version. Ports follow from k (see sidecar_port below).
WORKLOADS=(
  "productpage-v1 productpage v1"
  "reviews-v1 reviews v1"
  "reviews-v2 reviews v2"
  "reviews-v3 reviews v3"
  "ratings-v1 ratings v1"
)

# admin +0, outbound +1, health +2, inbound +6, metrics +9, from SIDECAR_BASE + 10k.
sidecar_port() {
  local k=$1 role=$2 offset
  case "$role" in
    admin) offset=0 ;; outbound) offset=1 ;; health) offset=2 ;; inbound) offset=6 ;; metrics) offset=9 ;;
  esac
  echo $((SIDECAR_BASE + 10 * k + offset))
}

RUN_DIR=${MESH_LOCAL_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/mesh-local.XXXXXX")}
LOGS=$RUN_DIR/logs
mkdir -p "$LOGS" "$RUN_DIR/data"
# Loopback never goes through a proxy the shell may have set (the apps get their sidecar as HTTP_PROXY below).
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
unset HTTP_PROXY http_proxy HTTPS_PROXY https_proxy ALL_PROXY all_proxy

NAMES=()
PIDS=()

stop_all() {
  trap - INT TERM EXIT
  if ((${#PIDS[@]})); then
    echo
    echo "stopping..."
    local i
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
      if [[ -n ${PIDS[i]} ]]; then kill "${PIDS[i]}" 2>/dev/null || true; fi
    done
    for pid in "${PIDS[@]}"; do
      if [[ -n $pid ]]; then wait "$pid" 2>/dev/null || true; fi
    done
    echo "logs kept in $LOGS"
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# start NAME COMMAND...: runs it in the background, output to $LOGS/NAME.log.
start() {
  local name=$1
  shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  NAMES+=("$name")
  PIDS+=("$!")
}

pid_of() {
  local i
  for i in "${!NAMES[@]}"; do
    if [[ ${NAMES[i]} == "$1" ]]; then echo "${PIDS[i]}"; return; fi
  done
}

# wait_ready NAME URL SECONDS: until URL answers 200; fails with the log's tail if NAME exits first.
wait_ready() {
  local name=$1 url=$2 seconds=$3 pid deadline
  pid=$(pid_of "$name")
  deadline=$((SECONDS + seconds))
  until curl -sf --noproxy '*' -o /dev/null --max-time 2 "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: $name exited; the end of $LOGS/$name.log:" >&2
      tail -n 20 "$LOGS/$name.log" >&2
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      echo "error: $name not ready at $url after ${seconds}s; the end of $LOGS/$name.log:" >&2
      tail -n 20 "$LOGS/$name.log" >&2
      exit 1
    fi
    sleep 0.3
  done
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

check_ports_free() {
  local busy=() port
  for port in "$@"; do
    if port_in_use "$port"; then busy+=("$port"); fi
  done
  if ((${#busy[@]})); then
    echo "error: ports already in use on 127.0.0.1: ${busy[*]} (another local mesh still running?)" >&2
    exit 1
  fi
}

meshctl() {
  MESH_SERVER=http://127.0.0.1:$API_PORT "$MESHCTL" "$@"
}

# 1. Build once.
if ((BUILD)); then
  echo "building Mesh.sln (Release)..."
  if ! dotnet build "$ROOT/Mesh.sln" -c Release -v quiet -nologo >"$LOGS/build.log" 2>&1; then
    grep -E 'error' "$LOGS/build.log" | sort -u | head -n 20 >&2 || tail -n 20 "$LOGS/build.log" >&2
    echo "error: the build failed (full output: $LOGS/build.log)" >&2
    exit 1
  fi
  if ((WORKLOADS_TOO)) && [[ -z ${MESH_SIDECAR_BIN:-} ]]; then
    echo "publishing the NativeAOT sidecar (needs clang and zlib1g-dev)..."
    if ! dotnet publish "$ROOT/src/Sidecar" -c Release -v quiet -nologo >"$LOGS/publish.log" 2>&1; then
      grep -E 'error' "$LOGS/publish.log" | sort -u | head -n 20 >&2 || tail -n 20 "$LOGS/publish.log" >&2
      echo "error: the sidecar's NativeAOT publish failed (full output: $LOGS/publish.log); apt-get install -y clang zlib1g-dev, or set MESH_SIDECAR_BIN to the JIT build" >&2
      exit 1
    fi
  fi
fi
needed=("$SILO" "$MESHCTL")
if ((WORKLOADS_TOO)); then needed+=("$SIDECAR" "$BOOKINFO"); fi
for binary in "${needed[@]}"; do
  if [[ ! -x $binary ]]; then
    echo "error: $binary is missing: build first (drop --no-build)" >&2
    exit 1
  fi
done

ports=("$XDS_PORT" "$XDS_SECURE_PORT" "$API_PORT" "$API_HTTP_PORT" "$MONITORING_PORT")
if ((WORKLOADS_TOO)); then
  for k in "${!WORKLOADS[@]}"; do
    ports+=($((APP_BASE + k)))
    for role in admin outbound health inbound metrics; do ports+=("$(sidecar_port "$k" "$role")"); done
  done
fi
check_ports_free "${ports[@]}"
echo "run folder: $RUN_DIR"

# 2. The control plane.
silo_args=(--data "$RUN_DIR/data" --xds-port "$XDS_PORT" --xds-secure-port "$XDS_SECURE_PORT" --api-port "$API_PORT" --api-http-port "$API_HTTP_PORT"
  --monitoring-port "$MONITORING_PORT")
if [[ -n ${MESH_SILO_PORT:-} ]]; then silo_args+=(--silo-port "$MESH_SILO_PORT"); fi
if [[ -n ${MESH_GATEWAY_PORT:-} ]]; then silo_args+=(--gateway-port "$MESH_GATEWAY_PORT"); fi
echo "starting the silo (xDS 127.0.0.1:$XDS_PORT, API 127.0.0.1:$API_PORT)..."
start silo "$SILO" "${silo_args[@]}"
wait_ready silo "http://127.0.0.1:$MONITORING_PORT/readyz" 90

# 3. The services and their subsets.
meshctl apply -f "$SAMPLES/services.yaml"
meshctl apply -f "$SAMPLES/destination-rules.yaml"
meshctl ca show --pem >"$RUN_DIR/root.pem"

if ((WORKLOADS_TOO)); then
  # 4. Five workloads, each an app and its sidecar.
  printf '\n%-15s %-9s %-9s %-8s %-6s %-7s %-8s %s\n' workload app-port outbound inbound admin health metrics log
  for k in "${!WORKLOADS[@]}"; do
    read -r workload app version <<<"${WORKLOADS[k]}"
    app_port=$((APP_BASE + k))
    outbound=$(sidecar_port "$k" outbound)
    inbound=$(sidecar_port "$k" inbound)
    admin=$(sidecar_port "$k" admin)
    health=$(sidecar_port "$k" health)
    metrics=$(sidecar_port "$k" metrics)
    printf '%-15s %-9s %-9s %-8s %-6s %-7s %-8s %s\n' "$workload" "$app_port" "$outbound" "$inbound" "$admin" "$health" "$metrics" "$LOGS/$workload.log"

    start "$workload" env HTTP_PROXY="http://127.0.0.1:$outbound" HOSTNAME="$workload" \
      "$BOOKINFO" --service "$app" --version "$version" --port "$app_port" --address 127.0.0.1
    identity=(--xds "127.0.0.1:$XDS_PORT")
    if ((SECURED)); then
      meshctl token create -n "$NAMESPACE" --service-account "bookinfo-$app" --ttl 24h -o "$RUN_DIR/$workload.token" 2>/dev/null
      identity=(--xds "127.0.0.1:$XDS_SECURE_PORT" --token-file "$RUN_DIR/$workload.token" --root-cert "$RUN_DIR/root.pem")
    fi
    start "$workload-sidecar" "$SIDECAR" \
      "${identity[@]}" \
      --namespace "$NAMESPACE" \
      --workload "$workload" \
      --service-account "bookinfo-$app" \
      --labels "app=$app,version=$version" \
      --app-port "$app_port" \
      --service-port http=9080 \
      --outbound-port "$outbound" \
      --inbound-port "$inbound" \
      --admin-port "$admin" \
      --health-port "$health" \
      --metrics-port "$metrics"
  done
  echo
  for k in "${!WORKLOADS[@]}"; do
    read -r workload app version <<<"${WORKLOADS[k]}"
    wait_ready "$workload" "http://127.0.0.1:$((APP_BASE + k))/health" 30
    wait_ready "$workload-sidecar" "http://127.0.0.1:$(sidecar_port "$k" health)/healthz/ready" 60
    echo "$workload ready"
  done
fi

# 5. What to do next.
entry=$(sidecar_port 0 outbound)
cat <<EOF

The local mesh is up. In another terminal, from $ROOT:

  alias meshctl=$MESHCTL
  export MESH_SERVER=http://127.0.0.1:$API_PORT
  meshctl get serviceentries -n $NAMESPACE
  meshctl proxy-status

  # enter the mesh at productpage's sidecar, used as an HTTP proxy:
  curl -x http://127.0.0.1:$entry http://productpage:9080/productpage

  # send 90% of reviews to v1 and 10% to v3, and watch the split:
  meshctl apply -f deploy/samples/bookinfo/local/reviews-90-10.yaml
  deploy/samples/watch-split.sh 100 http://127.0.0.1:$entry

  # then 50/50, or jason to v2 and everyone else to v1:
  meshctl apply -f deploy/samples/bookinfo/local/reviews-50-50.yaml
  meshctl apply -f deploy/samples/bookinfo/local/reviews-jason.yaml

  # identities and policy (sidecars got certificates from the CA unless --plaintext):
  meshctl cert status
  meshctl apply -f deploy/samples/bookinfo/local/mtls-strict.yaml      # only mTLS into bookinfo
  meshctl apply -f deploy/samples/bookinfo/local/reviews-authz.yaml    # reviews: GET from productpage only
  curl -x http://127.0.0.1:$entry -H 'end-user: jason' http://productpage:9080/productpage

Logs: $LOGS    Ctrl-C stops everything.
EOF

# 6. Stay up until Ctrl-C; say so when a process dies on its own.
while true; do
  # In the background so that Ctrl-C runs the trap at once, not when the sleep ends.
  sleep 2 &
  wait $! || true
  for i in "${!PIDS[@]}"; do
    if [[ -n ${PIDS[i]} ]] && ! kill -0 "${PIDS[i]}" 2>/dev/null; then
      echo "warning: ${NAMES[i]} exited; the end of $LOGS/${NAMES[i]}.log:" >&2
      tail -n 5 "$LOGS/${NAMES[i]}.log" >&2
      PIDS[i]=""
    fi
  done
done
