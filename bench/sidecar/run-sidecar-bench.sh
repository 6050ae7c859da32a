#!/usr/bin/env bash
# Data-plane overhead, all in one run on loopback: 1 KB responses from mesh-test-backend, measured
#   direct                         client -> backend
#   nginx                          client -> nginx (reverse proxy, keepalive upstream) -> backend
#   mesh                           client -> client sidecar (outbound) -> server sidecar (inbound) -> backend
#   mesh-mtls                      the same with identities from the control plane's CA: auto mTLS between the
#                                  sidecars and PeerAuthentication STRICT on the server
# with wrk (HTTP/1.1) and h2load (HTTP/2 cleartext). Latency: one connection, one request at a time (no queueing).
# Throughput: 32 connections. Sidecar RSS and CPU seconds per 1,000 requests come from /proc.
# Needs: wrk, nginx-light, nghttp2-client (apt-get install -y wrk nginx-light nghttp2-client).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10}
WORK=$(mktemp -d /tmp/mesh-sidecar-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; }
trap cleanup EXIT
for tool in wrk nginx h2load; do command -v $tool >/dev/null || { echo "missing $tool: apt-get install -y wrk nginx-light nghttp2-client" >&2; exit 2; }; done

echo "building (Release)..." >&2
dotnet build src/Silo -c Release -v q -nologo >/dev/null
dotnet build src/Cli -c Release -v q -nologo >/dev/null
dotnet build src/Sidecar -c Release -v q -nologo >/dev/null
dotnet build tests/backend -c Release -v q -nologo >/dev/null
BIN=Release/net10.0
BACKEND=19081; NGINX1=19082; NGINX2=19083
dotnet src/Silo/bin/$BIN/mesh-silo.dll --data "$WORK/data" --api-port 19020 --api-http-port 19080 --monitoring-port 19014 \
  --xds-port 19010 --xds-secure-port 19012 --silo-port 19111 --gateway-port 19030 > "$WORK/silo.log" 2>&1 & PIDS+=($!)
dotnet tests/backend/bin/$BIN/mesh-test-backend.dll --port $BACKEND --name bench > "$WORK/backend.log" 2>&1 & PIDS+=($!)
for i in $(seq 1 120); do curl -sf http://127.0.0.1:19014/readyz >/dev/null && break; sleep 0.5; done
cat <<YAML | dotnet src/Cli/bin/$BIN/meshctl.dll --server http://127.0.0.1:19020 apply -f - >/dev/null
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: bench, namespace: bench}
spec:
  hosts: [bench.bench.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 9080, name: http, protocol: HTTP}]
  workloadSelector: {labels: {app: bench}}
YAML
cat <<YAML | dotnet src/Cli/bin/$BIN/meshctl.dll --server http://127.0.0.1:19020 apply -f - >/dev/null
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: bench-mtls, namespace: bench}
spec:
  hosts: [bench-mtls.bench.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 9080, name: http, protocol: HTTP}]
  workloadSelector: {labels: {app: bench-mtls}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: strict, namespace: bench}
spec:
  selector: {matchLabels: {app: bench-mtls}}
  mtls: {mode: STRICT}
YAML
MESHCTL="dotnet src/Cli/bin/$BIN/meshctl.dll --server http://127.0.0.1:19020"
$MESHCTL ca show --pem > "$WORK/root.pem"
$MESHCTL token create -n bench --service-account server -o "$WORK/server.token" 2>/dev/null
$MESHCTL token create -n bench --service-account client -o "$WORK/client.token" 2>/dev/null
SIDECAR="dotnet src/Sidecar/bin/$BIN/mesh-sidecar.dll --xds 127.0.0.1:19010 --namespace bench --access-log off"
SECURED="dotnet src/Sidecar/bin/$BIN/mesh-sidecar.dll --xds 127.0.0.1:19012 --namespace bench --access-log off --root-cert $WORK/root.pem"
$SECURED --workload server-mtls --service-account server --token-file "$WORK/server.token" --labels app=bench-mtls --app-port $BACKEND --service-port http=9080 \
  --outbound-port 19301 --inbound-port 19306 --admin-port 19300 --health-port 19302 --metrics-port 19309 > "$WORK/server-mtls.log" 2>&1 & SERVER_MTLS=$!; PIDS+=($SERVER_MTLS)
$SECURED --workload client-mtls --service-account client --token-file "$WORK/client.token" --labels app=loadgen-mtls \
  --outbound-port 19401 --inbound-port 19406 --admin-port 19400 --health-port 19402 --metrics-port 19409 > "$WORK/client-mtls.log" 2>&1 & CLIENT_MTLS=$!; PIDS+=($CLIENT_MTLS)
$SIDECAR --workload server --labels app=bench --app-port $BACKEND --service-port http=9080 \
  --outbound-port 19101 --inbound-port 19106 --admin-port 19100 --health-port 19102 --metrics-port 19109 > "$WORK/server.log" 2>&1 & SERVER=$!; PIDS+=($SERVER)
$SIDECAR --workload client --labels app=loadgen \
  --outbound-port 19201 --inbound-port 19206 --admin-port 19200 --health-port 19202 --metrics-port 19209 > "$WORK/client.log" 2>&1 & CLIENT=$!; PIDS+=($CLIENT)
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream backend { server 127.0.0.1:$BACKEND; keepalive 64; }
  server { listen 127.0.0.1:$NGINX1; listen 127.0.0.1:$NGINX2 http2;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
NGINX
nginx -c "$WORK/nginx.conf"
for port in 19102 19202 19302 19402; do for i in $(seq 1 120); do curl -sf http://127.0.0.1:$port/healthz/ready >/dev/null && break; sleep 0.5; done; done
for i in $(seq 1 50); do [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: bench:9080' http://127.0.0.1:19201/bytes/1024)" = 200 ] && break; sleep 0.2; done
for i in $(seq 1 50); do [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: bench-mtls:9080' http://127.0.0.1:19401/bytes/1024)" = 200 ] && break; sleep 0.2; done
# STRICT really holds: plain text straight to the mTLS server sidecar is refused.
[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:19306/bytes/1024)" = 000 ] || { echo "the STRICT server sidecar took plain text" >&2; exit 1; }

cpu() { awk '{print $14+$15}' /proc/$1/stat; }
rss() { awk '/VmRSS/{print $2}' /proc/$1/status; }
TICKS=$(getconf CLK_TCK)
echo "| path | protocol | p50 ms | p90 ms | p99 ms | max req/s (32 conns) | sidecar CPU s per 1,000 req (both) | RSS client / server MB |"
echo "|---|---|---|---|---|---|---|---|"
h1() { # name url extra-header
  local lat thr c0 s0 c1 s1
  wrk -t1 -c1 -d3s "${@:3}" "$2" >/dev/null 2>&1 # warm-up
  lat=$(wrk -t1 -c1 -d${DURATION}s --latency "${@:3}" "$2")
  c0=$(cpu $CLIENT); s0=$(cpu $SERVER)
  thr=$(wrk -t2 -c32 -d${DURATION}s "${@:3}" "$2")
  c1=$(cpu $CLIENT); s1=$(cpu $SERVER)
  local p50 p90 p99 rps reqs
  p50=$(echo "$lat" | awk '$1=="50%"{print $2}'); p90=$(echo "$lat" | awk '$1=="90%"{print $2}'); p99=$(echo "$lat" | awk '$1=="99%"{print $2}')
  rps=$(echo "$thr" | awk '/Requests\/sec/{print int($2)}'); reqs=$(echo "$thr" | awk '/requests in/{print $1}')
  local cpuper="-"; [[ $1 == mesh* ]] && cpuper=$(awk -v d=$(( (c1-c0)+(s1-s0) )) -v t=$TICKS -v n=$reqs 'BEGIN{printf "%.3f", d/t/(n/1000)}')
  echo "| $1 | HTTP/1.1 | $p50 | $p90 | $p99 | $rps | $cpuper | $(( $(rss $CLIENT)/1024 )) / $(( $(rss $SERVER)/1024 )) |"
}
h2() { # name url extra
  local lat thr
  h2load -n 2000 -c 1 -m 1 "${@:3}" "$2" >/dev/null 2>&1
  lat=$(h2load -D ${DURATION} -c 1 -m 1 "${@:3}" "$2")
  thr=$(h2load -D ${DURATION} -c 32 -m 1 -t 2 "${@:3}" "$2")
  # h2load reports mean and sd, not percentiles: mean and max of request time.
  local mean max rps
  mean=$(echo "$lat" | awk '$1=="time" && $2=="for" && $3=="request:"{print $6}'); max=$(echo "$lat" | awk '$1=="time" && $2=="for" && $3=="request:"{print $5}')
  rps=$(echo "$thr" | awk '/finished in/{print int($4)}')
  echo "| $1 | HTTP/2 (h2c) | mean $mean | - | max $max | $rps | - | $(( $(rss $CLIENT)/1024 )) / $(( $(rss $SERVER)/1024 )) |"
}
h1 direct http://127.0.0.1:$BACKEND/bytes/1024
h1 nginx http://127.0.0.1:$NGINX1/bytes/1024
h1 mesh http://127.0.0.1:19201/bytes/1024 -H "Host: bench:9080"
PLAIN_CLIENT=$CLIENT; PLAIN_SERVER=$SERVER; CLIENT=$CLIENT_MTLS; SERVER=$SERVER_MTLS
h1 mesh-mtls http://127.0.0.1:19401/bytes/1024 -H "Host: bench-mtls:9080"
CLIENT=$PLAIN_CLIENT; SERVER=$PLAIN_SERVER
h2 direct http://127.0.0.1:$BACKEND/bytes/1024
h2 nginx http://127.0.0.1:$NGINX2/bytes/1024
h2 mesh http://127.0.0.1:19201/bytes/1024 -H ":authority: bench:9080"
CLIENT=$CLIENT_MTLS; SERVER=$SERVER_MTLS
h2 mesh-mtls http://127.0.0.1:19401/bytes/1024 -H ":authority: bench-mtls:9080"
echo "logs: $WORK" >&2
