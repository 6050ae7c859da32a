#!/usr/bin/env bash
# The gateway terminating TLS, beside nginx terminating TLS for the same backend, in one run on loopback (issue 14).
# The backend is nginx serving a static 1 KB file (1 worker). Both edges get the same certificate (ECDSA P-256),
# listen on 127.0.0.1 with TLS, and proxy HTTP/1.1 with keep-alive to the backend:
#   direct        client -> backend (plain text: the floor)
#   nginx-tls     client -(TLS)-> nginx (2 workers: the cores the gateway can use) -> backend
#   gateway-tls   client -(TLS)-> mesh-sidecar --mode gateway (NativeAOT; Istio Gateway SIMPLE + VirtualService) -> backend
# Saturation: SAT_CONNECTIONS connections for DURATION_SAT s, HTTP/1.1 and HTTP/2 (ALPN), requests per second.
# Fixed rate: RATE req/s over CONNECTIONS HTTP/1.1 TLS connections, WARMUP + DURATION s, every request's latency
# logged by h2load; p50/p90/p99 from those logs, and each edge's latency added over direct.
# Rate limits: the same gateway also serves /local/1k and /cluster/1k through a VirtualService with an ApiPolicy, one
# local limit and one Cluster limit (leased from the control plane), each of RL_TOKENS tokens per second, more than
# the gateway serves, so what is measured is the bucket (and the leases), not 429s; reported against /1k (no policy).
# Output: a markdown report on stdout and in $WORK/report.md; RESULTS=1 copies it to bench/gateway/results/.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/../.."
here=bench/gateway
DURATION=${DURATION:-20}; WARMUP=${WARMUP:-3}; RATE=${RATE:-1000}; CONNECTIONS=${CONNECTIONS:-16}
DURATION_SAT=${DURATION_SAT:-10}; SAT_CONNECTIONS=${SAT_CONNECTIONS:-64}; RESULTS=${RESULTS:-0}; PORT_BASE=${PORT_BASE:-21000}
BUILD=${BUILD:-1}; AOT_DIR=${AOT_DIR:-}; RL_TOKENS=${RL_TOKENS:-100000}
COMMAND="DURATION=$DURATION WARMUP=$WARMUP RATE=$RATE CONNECTIONS=$CONNECTIONS DURATION_SAT=$DURATION_SAT SAT_CONNECTIONS=$SAT_CONNECTIONS RL_TOKENS=$RL_TOKENS $here/run-gateway-bench.sh"

B=$PORT_BASE
P_XDS=$((B + 10)); P_XDS_SECURE=$((B + 12)); P_MONITORING=$((B + 14)); P_API=$((B + 20)); P_GATEWAY=$((B + 30))
P_API_HTTP=$((B + 40)); P_SILO=$((B + 50)); P_BACKEND=$((B + 81)); P_BACKEND_H2=$((B + 86)); P_NGINX=$((B + 82))
P_EDGE=$((B + 90)); P_EDGE_ADMIN=$((B + 91)); P_EDGE_HEALTH=$((B + 92)); P_EDGE_METRICS=$((B + 93))

WORK=$(mktemp -d /tmp/mesh-gateway-bench.XXXXXX)
chmod 755 "$WORK"
MANIFEST="$WORK/manifest.tsv"
PIDS=()
cleanup() {
  local p name
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for name in backend edge; do [ -f "$WORK/nginx-$name.pid" ] && kill "$(cat "$WORK/nginx-$name.pid")" 2>/dev/null || true; done
  echo "raw data and logs: $WORK" >&2
}
trap cleanup EXIT
phase() { printf '[%s +%ds] %s\n' "$(date +%T)" $SECONDS "$*" >&2; }

source bench/sidecar/setup.sh
source bench/sidecar/measure.sh

edges() {
  phase "nginx: the 1 KB backend and the TLS edge"
  mkdir -p "$WORK/www/local" "$WORK/www/cluster"
  head -c 1024 /dev/zero | tr '\0' x > "$WORK/www/1k"
  cp "$WORK/www/1k" "$WORK/www/local/1k"; cp "$WORK/www/1k" "$WORK/www/cluster/1k"
  nginx_start backend 1 "server { listen 127.0.0.1:$P_BACKEND; listen 127.0.0.1:$P_BACKEND_H2 http2; root $WORK/www; }"
  nginx_start edge 2 "upstream backend { server 127.0.0.1:$P_BACKEND; keepalive 64; keepalive_requests 10000000; }
  server { listen 127.0.0.1:$P_NGINX ssl http2;
    ssl_certificate $WORK/tls/server.pem; ssl_certificate_key $WORK/tls/server.key;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"

  phase "control plane, the credential, Gateway + VirtualService, the gateway (NativeAOT)"
  silo_start
  meshctl secret create tls edge-cert --cert "$WORK/tls/server.pem" --key "$WORK/tls/server.key" -n istio-system >/dev/null
  meshctl apply -f - >/dev/null <<YAML
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: backend, namespace: bench}
spec:
  hosts: [backend.bench.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 9080, name: http, protocol: HTTP}]
  endpoints: [{address: 127.0.0.1, ports: {http: $P_BACKEND}}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: edge, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: $P_EDGE, name: https, protocol: HTTPS}, hosts: ["*/*"], tls: {mode: SIMPLE, credentialName: edge-cert}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: edge, namespace: bench}
spec:
  hosts: ["*"]
  gateways: [istio-system/edge]
  http: [{match: [{uri: {prefix: /1k}}], route: [{destination: {host: backend.bench.svc.cluster.local, port: {number: 9080}}}]}]
---
# The rate-limited routes: in the gateway's namespace, where an ApiPolicy with a Cluster limit must live to lease.
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: limited, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [edge]
  http:
  - {match: [{uri: {prefix: /local/}}], route: [{destination: {host: backend.bench.svc.cluster.local, port: {number: 9080}}}]}
  - {match: [{uri: {prefix: /cluster/}}], route: [{destination: {host: backend.bench.svc.cluster.local, port: {number: 9080}}}]}
---
apiVersion: policy.mesh.dev/v1
kind: ApiPolicy
metadata: {name: bench-limits, namespace: istio-system}
spec:
  targetRefs: [{kind: VirtualService, name: limited}]
  rateLimits:
  - {name: local, match: {pathPrefix: /local/}, maxTokens: $RL_TOKENS, tokensPerFill: $RL_TOKENS, fillInterval: 1s}
  - {name: cluster, match: {pathPrefix: /cluster/}, maxTokens: $RL_TOKENS, tokensPerFill: $RL_TOKENS, fillInterval: 1s, scope: Cluster, failureMode: Closed}
YAML
  "${AOT_SIDECAR[@]}" --mode gateway --listen $P_EDGE --namespace istio-system --workload edge --labels istio=ingressgateway \
    --xds 127.0.0.1:$P_XDS --access-log off --admin-port $P_EDGE_ADMIN --health-port $P_EDGE_HEALTH --metrics-port $P_EDGE_METRICS \
    > "$WORK/gateway.log" 2>&1 & PIDS+=($!)
  GATEWAY_PID=$!
  wait_for "gateway ready" 60 "curl -sf http://127.0.0.1:$P_EDGE_HEALTH/healthz/ready"
  wait_for "gateway route" 20 "[ \$(curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:$P_EDGE/1k) = 200 ]"
  local limit
  for limit in local cluster; do
    wait_for "gateway $limit limit" 20 "curl -sk -D - -o /dev/null https://127.0.0.1:$P_EDGE/$limit/1k | grep -qi '^x-ratelimit-limit: $RL_TOKENS'"
  done
  wait_for "nginx edge" 10 "[ \$(curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:$P_NGINX/1k) = 200 ]"
}

# percentiles LOG: p50 p90 p99 of h2load's per-request log (third column, µs) in ms, and the count.
percentiles() {
  cut -f3 "$1" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f %.3f %.3f %d", v[int(NR*0.5)]/1000, v[int(NR*0.9)]/1000, v[int(NR*0.99)]/1000, NR }'
}

# status4xx H2LOAD_OUTPUT: the 4xx responses h2load counted (a refused rate-limited request is a 429).
status4xx() { awk '/^status codes:/ { print $7 }' "$1"; }

fixed() {
  local key=$1 url=$2 dir="$WORK/fixed"
  mkdir -p "$dir"
  phase "fixed rate: $key ($WARMUP s warm-up + $DURATION s at $RATE req/s over $CONNECTIONS HTTP/1.1 connections)"
  h2load --h1 -t 1 -c $CONNECTIONS --rps "$(awk -v r=$RATE -v c=$CONNECTIONS 'BEGIN { print r / c }')" \
    -D $DURATION --warm-up-time $WARMUP --log-file "$dir/$key.log" "$url" > "$dir/$key.txt"
  printf 'fixed\t%s\t%s\t%s\t%s\n' "$key" "$(percentiles "$dir/$key.log")" "$(grep -o '[0-9]* failed' "$dir/$key.txt" | head -1)" "$(status4xx "$dir/$key.txt")" >> "$MANIFEST"
}

sat() {
  local key=$1 protocol=$2 url=$3 pids=$4 flags=(-t 1 -c $SAT_CONNECTIONS -m 1)
  [ "$protocol" = HTTP/1.1 ] && flags+=(--h1)
  phase "saturation: $key $protocol ($DURATION_SAT s)"
  h2load "${flags[@]}" -D 1 "$url" > /dev/null
  local c0=0; [ -n "$pids" ] && c0=$(ticks_of $pids)
  h2load "${flags[@]}" -D $DURATION_SAT "$url" > "$WORK/sat-$key-${protocol//[^0-9]/}.txt"
  local ticks=0; [ -n "$pids" ] && ticks=$(($(ticks_of $pids) - c0))
  printf 'sat\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$protocol" "$(awk '/^finished in/ { print $4 }' "$WORK/sat-$key-${protocol//[^0-9]/}.txt")" \
    "$(awk -v t=$ticks -v hz=$(getconf CLK_TCK) -v d=$DURATION_SAT 'BEGIN { printf "%.2f", t / hz / d }')" \
    "$(grep -o '[0-9]* failed' "$WORK/sat-$key-${protocol//[^0-9]/}.txt" | head -1)" "$(status4xx "$WORK/sat-$key-${protocol//[^0-9]/}.txt")" >> "$MANIFEST"
}

report() {
  local rss; rss=$(rss_of $GATEWAY_PID)
  {
    echo "# Gateway beside nginx, TLS terminated at the edge ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo
    echo "machine: $(nproc) cores, load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg); $(nginx -v 2>&1 | sed 's/^nginx version: //'); $(h2load --version | head -1)"
    echo "command: \`$COMMAND\`"
    echo
    echo "## Fixed rate ($RATE req/s, $CONNECTIONS HTTP/1.1 connections, 1 KB responses; ms)"
    echo
    echo "| path | p50 | p90 | p99 | added p50 over direct | added p99 over direct | requests | failed |"
    echo "|---|---|---|---|---|---|---|---|"
    awk -F'\t' '$1 == "fixed" { split($3, v, " "); p50[$2] = v[1]; p90[$2] = v[2]; p99[$2] = v[3]; n[$2] = v[4]; f[$2] = $4; order[++k] = $2 }
      END { for (i = 1; i <= k; i++) { x = order[i]; printf "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %d | %s |\n", x, p50[x], p90[x], p99[x], p50[x] - p50["direct"], p99[x] - p99["direct"], n[x], f[x] }
        if (p50["nginx-tls"] - p50["direct"] > 0) printf "\ngateway/nginx added latency: p50 %.2fx, p99 %.2fx\n", (p50["gateway-tls"] - p50["direct"]) / (p50["nginx-tls"] - p50["direct"]), (p99["gateway-tls"] - p99["direct"]) / (p99["nginx-tls"] - p99["direct"]) }' "$MANIFEST"
    echo
    echo "## Saturation ($SAT_CONNECTIONS connections, $DURATION_SAT s; req/s, and the edge's CPU in cores)"
    echo
    echo "| path | protocol | req/s | edge CPU (cores) | failed |"
    echo "|---|---|---|---|---|"
    awk -F'\t' '$1 == "sat" { printf "| %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6; r[$2 "|" $3] = $4 }
      END { for (p in r) if (p ~ /^gateway-tls/) { split(p, q, "|"); if (r["nginx-tls|" q[2]] > 0) printf "\ngateway/nginx req/s, %s: %.2fx\n", q[2], r[p] / r["nginx-tls|" q[2]] } }' "$MANIFEST"
    echo
    echo "## Rate-limited routes beside the unlimited one (same gateway, ApiPolicy, $RL_TOKENS tokens/s: never refusing)"
    echo
    echo "| route | fixed p50 | fixed p99 | p50 / unlimited | p99 / unlimited | HTTP/1.1 req/s | / unlimited | HTTP/2 req/s | / unlimited | 4xx (fixed, sat) |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    awk -F'\t' '$1 == "fixed" { split($3, v, " "); p50[$2] = v[1]; p99[$2] = v[3]; f4[$2] = $5 }
      $1 == "sat" { r[$2 "|" $3] = $4; s4[$2] += $7 }
      END { split("gateway-tls gateway-local gateway-cluster", keys, " "); split("unlimited local cluster", names, " ")
        for (i = 1; i <= 3; i++) { k = keys[i]; u = "gateway-tls"
          printf "| %s | %.3f | %.3f | %.2fx | %.2fx | %s | %.2fx | %s | %.2fx | %d, %d |\n", names[i], p50[k], p99[k],
            ratio(p50[k], p50[u]), ratio(p99[k], p99[u]), r[k "|HTTP/1.1"], ratio(r[k "|HTTP/1.1"], r[u "|HTTP/1.1"]),
            r[k "|HTTP/2"], ratio(r[k "|HTTP/2"], r[u "|HTTP/2"]), f4[k], s4[k] } }
      function ratio(a, b) { return b > 0 ? a / b : 0 }' "$MANIFEST"
    echo
    echo "gateway RSS at the end: $((rss / 1024)) MB"
  } | tee "$WORK/report.md"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
require_tools
if [ "$BUILD" = 1 ]; then
  phase "building Release (silo, meshctl)"
  for project in src/Silo src/Cli; do dotnet build $project -c Release -nologo -clp:ErrorsOnly >/dev/null; done
fi
if [ -z "$AOT_DIR" ]; then
  phase "publishing the NativeAOT gateway (mesh-sidecar)"
  AOT_DIR="$WORK/sidecar-aot"
  dotnet publish src/Sidecar -c Release -p:PublishAot=true -o "$AOT_DIR" -nologo -clp:ErrorsOnly >/dev/null
fi
AOT_SIDECAR=("$AOT_DIR/mesh-sidecar")
certificates
edges
fixed direct http://127.0.0.1:$P_BACKEND/1k
fixed nginx-tls https://127.0.0.1:$P_NGINX/1k
fixed gateway-tls https://127.0.0.1:$P_EDGE/1k
fixed gateway-local https://127.0.0.1:$P_EDGE/local/1k
fixed gateway-cluster https://127.0.0.1:$P_EDGE/cluster/1k
for protocol in HTTP/1.1 HTTP/2; do
  backend=$P_BACKEND; [ $protocol = HTTP/2 ] && backend=$P_BACKEND_H2
  sat direct $protocol http://127.0.0.1:$backend/1k ""
  sat nginx-tls $protocol https://127.0.0.1:$P_NGINX/1k "$(nginx_pids edge)"
  sat gateway-tls $protocol https://127.0.0.1:$P_EDGE/1k "$GATEWAY_PID"
  sat gateway-local $protocol https://127.0.0.1:$P_EDGE/local/1k "$GATEWAY_PID"
  sat gateway-cluster $protocol https://127.0.0.1:$P_EDGE/cluster/1k "$GATEWAY_PID"
done
report
if [ "$RESULTS" = 1 ]; then mkdir -p $here/results && cp "$WORK/report.md" $here/results/report.md; fi
