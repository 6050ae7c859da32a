#!/usr/bin/env bash
# Data-plane cost of the sidecar, measured the way Istio publishes its figures, beside nginx, in one run on loopback.
# The backend is nginx serving a static 1 KB file (worker_processes 1).
#
# Fixed rate (RATE=1000 req/s over CONNECTIONS=16 keep-alive HTTP/1.1 connections, h2load --rps, per-request log):
#   direct         client -> backend
#   nginx-tls      client -> nginx A -(TLS, client certificate)-> nginx B -> backend
#   mesh-mtls      client -> client sidecar (outbound) -(mTLS, STRICT)-> server sidecar (inbound) -> backend
#   mesh-plain     the same pair in plain text
#   mesh-mtls-jit  the mTLS pair on the JIT build (the previous build, a reference; REFERENCE=0 leaves it out)
# Saturation (SAT_CONNECTIONS=64, HTTP/1.1 and HTTP/2 cleartext, one hop): direct; one nginx hop (2 workers, the
# cores the sidecar can use); one sidecar hop (client sidecar outbound -> backend through a ServiceEntry endpoint
# with no sidecar).
# Startup: process start to /healthz/ready = 200, AOT and JIT, STARTS=5 each. Soak: SOAK=600 runs the mTLS pair at
# the fixed rate that long and plots each sidecar's RSS.
# bench/SidecarReport turns the logs and /proc samples into report.md and PNGs in the work folder; RESULTS=1 copies
# them to bench/sidecar/results/. SIDECAR=jit measures the JIT build instead of the NativeAOT binary. BUILD=0 and
# AOT_DIR=DIR (a folder `dotnet publish src/Sidecar -c Release -p:PublishAot=true -o DIR` made) skip the builds.
# PORT_BASE (19000) moves every port of the run.
# Progress goes to stderr, the report to stdout.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/../.."
here=bench/sidecar
DURATION=${DURATION:-30}; WARMUP=${WARMUP:-5}; RATE=${RATE:-1000}; CONNECTIONS=${CONNECTIONS:-16}
DURATION_SAT=${DURATION_SAT:-10}; SAT_CONNECTIONS=${SAT_CONNECTIONS:-64}; STARTS=${STARTS:-5}
SIDECAR=${SIDECAR:-aot}; REFERENCE=${REFERENCE:-1}; SOAK=${SOAK:-0}; RESULTS=${RESULTS:-0}; PORT_BASE=${PORT_BASE:-19000}
BUILD=${BUILD:-1}; AOT_DIR=${AOT_DIR:-}
case $SIDECAR in aot) ;; jit) REFERENCE=0 ;; *) echo "SIDECAR is aot or jit" >&2; exit 2 ;; esac
COMMAND="SIDECAR=$SIDECAR REFERENCE=$REFERENCE DURATION=$DURATION WARMUP=$WARMUP RATE=$RATE CONNECTIONS=$CONNECTIONS"
COMMAND+=" DURATION_SAT=$DURATION_SAT SAT_CONNECTIONS=$SAT_CONNECTIONS STARTS=$STARTS SOAK=$SOAK $here/run-sidecar-bench.sh"

B=$PORT_BASE
P_XDS=$((B + 10)); P_XDS_SECURE=$((B + 12)); P_MONITORING=$((B + 14)); P_API=$((B + 20)); P_GATEWAY=$((B + 30))
P_API_HTTP=$((B + 40)); P_SILO=$((B + 50))
P_BACKEND=$((B + 81)); P_TLS_A=$((B + 82)); P_TLS_B=$((B + 83)); P_HOP_H1=$((B + 84)); P_HOP_H2=$((B + 85)); P_BACKEND_H2=$((B + 86))
# One block of ten ports per sidecar (see sidecar_args).
P_SERVER_PLAIN=$((B + 100)); P_CLIENT_PLAIN=$((B + 200)); P_SERVER_MTLS=$((B + 300)); P_CLIENT_MTLS=$((B + 400))
P_SERVER_JIT=$((B + 500)); P_CLIENT_JIT=$((B + 600)); P_STARTUP=$((B + 700))

WORK=$(mktemp -d /tmp/mesh-sidecar-bench.XXXXXX)
chmod 755 "$WORK" # nginx workers (user nobody) read the 1 KB file under it
MANIFEST="$WORK/manifest.tsv"
PIDS=()
cleanup() {
  local p name
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for name in backend tls-a tls-b hop; do [ -f "$WORK/nginx-$name.pid" ] && kill "$(cat "$WORK/nginx-$name.pid")" 2>/dev/null || true; done
  echo "raw data and logs: $WORK" >&2
}
trap cleanup EXIT
phase() { printf '[%s +%ds] %s\n' "$(date +%T)" $SECONDS "$*" >&2; }

source $here/setup.sh
source $here/measure.sh

environment() {
  {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "kernel: $(uname -r); dotnet $(dotnet --version); $(nginx -v 2>&1 | sed 's/^nginx version: //'); $(h2load --version | head -1); $(openssl version | cut -d' ' -f1-2)"
  } > "$WORK/env.txt"
  printf 'meta\tclk_tck=%s\tsidecar=%s\trate=%s\tconnections=%s\tduration=%s\twarmup=%s\tsat_connections=%s\tsat_duration=%s\tdate=%s\tcommand=%s\n' \
    "$(getconf CLK_TCK)" "${SIDECAR^^}" $RATE $CONNECTIONS $DURATION $WARMUP $SAT_CONNECTIONS $DURATION_SAT \
    "$(date -u +%F)" "$COMMAND" > "$MANIFEST"
}

require_tools
build
environment
certificates
nginx_instances
control_plane
sidecars
fixed_rate_paths
saturation
[ "$SOAK" -gt 0 ] && soak
startup aot
startup jit
phase "report"
dotnet bench/SidecarReport/bin/Release/net10.0/SidecarReport.dll "$WORK"
if [ "$RESULTS" = 1 ]; then
  mkdir -p $here/results
  cp "$WORK"/*.png "$WORK/report.md" $here/results/
  phase "report and plots copied to $here/results/"
fi
