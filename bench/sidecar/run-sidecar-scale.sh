#!/usr/bin/env bash
# The scale of one sidecar (issue 12, deliverable 4), on loopback with an embedded silo and the NativeAOT sidecar:
#   RSS of a client sidecar with 1 service in the mesh, against 1,000 services with the app calling 50 of them
#   (on-demand listener discovery: a sidecar fetches only the services it is asked for), and calling all 1,000;
#   the CPU a push costs the sidecar when it changes one of the 1,000 clusters it holds (a DestinationRule on one
#   service), from the sidecar's own measure (/stats xds.apply.*, also mesh_sidecar_xds_apply_cpu_seconds) and from
#   /proc utime+stime around the pushes (less the same time idle).
# Targets: RSS within 10 MB of the one-service figure; a push under 1 ms of CPU.
#   bench/sidecar/run-sidecar-scale.sh            (SIDECAR=path/to/mesh-sidecar skips the AOT publish)
# Needs: nghttp2-client (h2load), clang and zlib1g-dev for the AOT publish.
set -euo pipefail
cd "$(dirname "$0")/../.."
SERVICES=${SERVICES:-1000}; CALLED=${CALLED:-50}; PUSHES=${PUSHES:-20}
WORK=$(mktemp -d /tmp/mesh-sidecar-scale.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
command -v h2load >/dev/null || { echo "missing h2load: apt-get install -y nghttp2-client" >&2; exit 2; }

echo "building (Release)..." >&2
dotnet build src/Silo -c Release -v q -nologo >/dev/null
dotnet build src/Cli -c Release -v q -nologo >/dev/null
dotnet build tests/backend -c Release -v q -nologo >/dev/null
if [ -z "${SIDECAR:-}" ]; then
  echo "publishing the sidecar (NativeAOT)..." >&2
  dotnet publish src/Sidecar -c Release -p:PublishAot=true -o "$WORK/aot" -v q -nologo >/dev/null
  SIDECAR="$WORK/aot/mesh-sidecar"
fi
BIN=Release/net10.0
BACKEND=31081; OUT=31201; ADMIN=31200; HEALTH=31202
# Another run (or another bench) on these ports would take our requests: refuse to start.
for port in 31020 31080 31014 31010 31012 31111 31030 $BACKEND $OUT $ADMIN $HEALTH 31206 31209; do
  ss -ltn | awk '{print $4}' | grep -q ":$port\$" && { echo "port $port is in use" >&2; exit 1; }
done
MESHCTL="dotnet src/Cli/bin/$BIN/meshctl.dll --server http://127.0.0.1:31020"
dotnet src/Silo/bin/$BIN/mesh-silo.dll --data "$WORK/data" --api-port 31020 --api-http-port 31080 --monitoring-port 31014 \
  --xds-port 31010 --xds-secure-port 31012 --silo-port 31111 --gateway-port 31030 > "$WORK/silo.log" 2>&1 & PIDS+=($!)
dotnet tests/backend/bin/$BIN/mesh-test-backend.dll --port $BACKEND --name scale > "$WORK/backend.log" 2>&1 & PIDS+=($!)
for i in $(seq 1 120); do curl -sf http://127.0.0.1:31014/readyz >/dev/null && break; sleep 0.5; done
curl -sf http://127.0.0.1:31014/readyz >/dev/null || { echo "the silo never became ready: $WORK/silo.log" >&2; exit 1; }

# Services FROM..TO-1: each a ServiceEntry whose one endpoint is the backend.
services() {
  for i in $(seq "$1" $(($2 - 1))); do cat <<YAML
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: svc-$i, namespace: scale}
spec:
  hosts: [svc-$i.scale.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 9080, name: http, protocol: HTTP}]
  endpoints: [{address: 127.0.0.1, ports: {http: $BACKEND}}]
YAML
  done
}
start_sidecar() { # log name
  "$SIDECAR" --xds 127.0.0.1:31010 --namespace scale --workload client --labels app=loadgen --access-log off \
    --outbound-port $OUT --inbound-port 31206 --admin-port $ADMIN --health-port $HEALTH --metrics-port 31209 > "$WORK/$1.log" 2>&1 &
  SIDECAR_PID=$!; PIDS+=($SIDECAR_PID)
  for i in $(seq 1 120); do curl -sf http://127.0.0.1:$HEALTH/healthz/ready >/dev/null && break; sleep 0.25; done
}
# The app calls services FROM..TO-1: the first request of each waits for its config, then N more each.
call() {
  seq "$1" $(($2 - 1)) | xargs -P 4 -I{} curl -s -o /dev/null -H "Host: svc-{}:9080" http://127.0.0.1:$OUT/bytes/1024
  for i in $(seq "$1" $(($2 - 1))); do
    h2load --h1 -n "$3" -c 2 -H ":authority: svc-$i:9080" http://127.0.0.1:$OUT/bytes/1024 | awk -v n="$3" '/^status codes/{ if ($3+0 != n) print "svc-'"$i"': " $0 > "/dev/stderr" }'
  done
}
rss_mb() { sleep 2; awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$1/status; }
cpu_ticks() { awk '{print $14+$15}' /proc/$1/stat; }
stat_of() { curl -s http://127.0.0.1:$ADMIN/stats | awk -v k="$1:" '$1==k{print $2}'; }

services 0 1 | $MESHCTL apply -f - >/dev/null
start_sidecar one
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: svc-0:9080' http://127.0.0.1:$OUT/bytes/1024)" = 200 ] || { echo "svc-0 does not answer through the sidecar" >&2; exit 1; }
call 0 1 200
RSS_ONE=$(rss_mb $SIDECAR_PID)
kill $SIDECAR_PID; wait $SIDECAR_PID 2>/dev/null || true

echo "applying $SERVICES services..." >&2
services 1 "$SERVICES" > "$WORK/services.yaml"
$MESHCTL apply -f "$WORK/services.yaml" >/dev/null
start_sidecar many
call 0 "$CALLED" 200
RSS_CALLED=$(rss_mb $SIDECAR_PID)
echo "calling all $SERVICES..." >&2
call "$CALLED" "$SERVICES" 10
RSS_ALL=$(rss_mb $SIDECAR_PID)
CLUSTERS=$(stat_of clusters)

# Pushes that change one of the clusters: svc-7's connection pool, a new value each time.
push() {
  cat <<YAML | $MESHCTL apply -f - >/dev/null
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: svc-7, namespace: scale}
spec:
  host: svc-7.scale.svc.cluster.local
  trafficPolicy: {connectionPool: {tcp: {maxConnections: $((100 + $1))}}}
YAML
}
push 0; sleep 2
TICKS=$(getconf CLK_TCK)
IDLE0=$(cpu_ticks $SIDECAR_PID); sleep "$PUSHES"; IDLE1=$(cpu_ticks $SIDECAR_PID)
COUNT0=$(stat_of xds.apply.count); APPLY0=$(stat_of xds.apply.cpu_us); CPU0=$(cpu_ticks $SIDECAR_PID)
for k in $(seq 1 "$PUSHES"); do push "$k"; sleep 1; done
CPU1=$(cpu_ticks $SIDECAR_PID); COUNT1=$(stat_of xds.apply.count); APPLY1=$(stat_of xds.apply.cpu_us)

echo "| sidecar (NativeAOT), $(date -u +%Y-%m-%d) | value |"
echo "|---|---|"
echo "| RSS, 1 service in the mesh, the app calling it | $RSS_ONE MB |"
echo "| RSS, $SERVICES services, the app calling $CALLED | $RSS_CALLED MB ($(awk -v a="$RSS_CALLED" -v b="$RSS_ONE" 'BEGIN{printf "%+.1f", a-b}') MB; target ≤ +10) |"
echo "| RSS, $SERVICES services, the app calling all ($CLUSTERS clusters held) | $RSS_ALL MB |"
echo "| push changing 1 of $CLUSTERS clusters: applying, CPU per push (sidecar's measure) | $(awk -v a=$((APPLY1 - APPLY0)) -v n="$PUSHES" 'BEGIN{printf "%.3f", a/1000/n}') ms over $((COUNT1 - COUNT0)) updates (target < 1) |"
echo "| the same, whole process CPU per push (/proc utime+stime, less idle) | $(awk -v p=$((CPU1 - CPU0)) -v i=$((IDLE1 - IDLE0)) -v t="$TICKS" -v n="$PUSHES" 'BEGIN{printf "%.1f", (p-i)*1000/t/n}') ms |"
echo "logs: $WORK" >&2
