# Sourced by run-sidecar-bench.sh: the builds, the certificates, the nginx instances, the control plane and the
# sidecars. Every process started here is recorded in PIDS and stopped on exit.

require_tools() {
  local missing=()
  for tool in h2load nginx openssl curl; do command -v $tool >/dev/null || missing+=($tool); done
  [ ${#missing[@]} -eq 0 ] && return
  phase "installing nginx-light nghttp2-client openssl curl (missing: ${missing[*]})"
  apt-get update -qq && apt-get install -y -qq nginx-light nghttp2-client openssl curl >/dev/null
}

# BUILD=0 takes the Release builds as they are; AOT_DIR=DIR takes a NativeAOT sidecar published there before.
build() {
  local project
  if [ "$BUILD" = 1 ]; then
    phase "building Release (silo, meshctl, JIT sidecar, report)"
    for project in src/Silo src/Cli src/Sidecar bench/SidecarReport; do
      dotnet build $project -c Release -nologo -clp:ErrorsOnly >/dev/null
    done
  fi
  if [ -z "$AOT_DIR" ]; then
    phase "publishing the NativeAOT sidecar"
    AOT_DIR="$WORK/sidecar-aot"
    dotnet publish src/Sidecar -c Release -p:PublishAot=true -o "$AOT_DIR" -nologo -clp:ErrorsOnly >/dev/null
  fi
  AOT_SIDECAR=("$AOT_DIR/mesh-sidecar")
  JIT_SIDECAR=(dotnet src/Sidecar/bin/Release/net10.0/mesh-sidecar.dll)
}

# A CA, a server certificate for nginx B and a client certificate for nginx A, ECDSA P-256 like the mesh's.
certificates() {
  local dir="$WORK/tls" name
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -subj /CN=bench-ca -days 2 2>/dev/null
  for name in server client; do
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" \
      -subj "/CN=nginx-$name" 2>/dev/null
    printf 'subjectAltName=DNS:nginx-%s,IP:127.0.0.1\nextendedKeyUsage=%sAuth\n' $name $name > "$dir/$name.ext"
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
      -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
  done
}

# nginx_start NAME WORKERS HTTP_BLOCK: one nginx instance of its own, so its CPU and RSS are its own.
nginx_start() {
  local conf="$WORK/nginx-$1.conf"
  cat > "$conf" <<NGINX
worker_processes $2; pid $WORK/nginx-$1.pid; error_log $WORK/nginx-$1.error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000; keepalive_timeout 300s;
  $3
}
NGINX
  nginx -c "$conf" -p "$WORK"
}

# The master and its workers (nginx forks one process per worker): the proxy's cost is their sum.
nginx_pids() { local master; master=$(cat "$WORK/nginx-$1.pid"); echo "$master" $(ps -o pid= --ppid "$master"); }

nginx_instances() {
  phase "nginx: the 1 KB backend, the TLS pair, the single hop"
  mkdir -p "$WORK/www"
  head -c 1024 /dev/zero | tr '\0' x > "$WORK/www/1k"
  local upstream="upstream backend { server 127.0.0.1:$P_BACKEND; keepalive 64; keepalive_requests 10000000; }"
  local proxy="proxy_http_version 1.1; proxy_set_header Connection \"\";"
  nginx_start backend 1 "server { listen 127.0.0.1:$P_BACKEND; listen 127.0.0.1:$P_BACKEND_H2 http2; root $WORK/www; }"
  nginx_start tls-a 1 "upstream tls_b { server 127.0.0.1:$P_TLS_B; keepalive 64; keepalive_requests 10000000; }
  server { listen 127.0.0.1:$P_TLS_A;
    location / { proxy_pass https://tls_b; $proxy
      proxy_ssl_certificate $WORK/tls/client.pem; proxy_ssl_certificate_key $WORK/tls/client.key;
      proxy_ssl_trusted_certificate $WORK/tls/ca.pem; proxy_ssl_verify on; proxy_ssl_name nginx-server;
      proxy_ssl_session_reuse on; } }"
  nginx_start tls-b 1 "$upstream
  server { listen 127.0.0.1:$P_TLS_B ssl;
    ssl_certificate $WORK/tls/server.pem; ssl_certificate_key $WORK/tls/server.key;
    ssl_client_certificate $WORK/tls/ca.pem; ssl_verify_client on;
    location / { proxy_pass http://backend; $proxy } }"
  nginx_start hop 2 "$upstream
  server { listen 127.0.0.1:$P_HOP_H1; listen 127.0.0.1:$P_HOP_H2 http2;
    location / { proxy_pass http://backend; $proxy } }"
}

meshctl() { dotnet src/Cli/bin/Release/net10.0/meshctl.dll --server "http://127.0.0.1:$P_API" "$@"; }

# silo_start: the Release silo on the P_* ports, its data in $WORK, until ready (the sidecar and gateway benches).
silo_start() {
  dotnet src/Silo/bin/Release/net10.0/mesh-silo.dll --data "$WORK/data" --api-port $P_API --api-http-port $P_API_HTTP \
    --monitoring-port $P_MONITORING --xds-port $P_XDS --xds-secure-port $P_XDS_SECURE --silo-port $P_SILO \
    --gateway-port $P_GATEWAY > "$WORK/silo.log" 2>&1 & PIDS+=($!)
  wait_for "silo ready" 60 "curl -sf http://127.0.0.1:$P_MONITORING/readyz"
}

control_plane() {
  phase "control plane: silo, services, STRICT PeerAuthentication, tokens"
  silo_start
  local name
  for name in bench bench-mtls bench-jit; do
    printf -- '---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: %s, namespace: bench}\nspec:\n  hosts: [%s.bench.svc.cluster.local]\n  location: MESH_INTERNAL\n  resolution: STATIC\n  ports: [{number: 9080, name: http, protocol: HTTP}]\n  workloadSelector: {labels: {app: %s}}\n' $name $name $name
  done > "$WORK/mesh.yaml"
  cat >> "$WORK/mesh.yaml" <<YAML
---
# The single hop at saturation: an endpoint with no sidecar, so the client's sidecar is the only proxy.
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
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: strict, namespace: bench}
spec:
  selector: {matchLabels: {mtls: strict}}
  mtls: {mode: STRICT}
YAML
  meshctl apply -f "$WORK/mesh.yaml" >/dev/null
  meshctl ca show --pem > "$WORK/root.pem"
  for name in server client startup; do meshctl token create -n bench --service-account $name -o "$WORK/$name.token" 2>/dev/null; done
}

# sidecar_args BLOCK [SERVICE_ACCOUNT]: the ports of a sidecar (BLOCK+0 admin, +1 outbound, +2 health, +6 inbound,
# +9 metrics), and with a service account its identity from the CA over the secured xDS port.
sidecar_args() {
  local b=$1
  SIDECAR_ARGS=(--namespace bench --access-log off --admin-port $b --outbound-port $((b + 1)) --health-port $((b + 2))
    --inbound-port $((b + 6)) --metrics-port $((b + 9)))
  if [ -n "${2:-}" ]; then
    SIDECAR_ARGS+=(--xds 127.0.0.1:$P_XDS_SECURE --root-cert "$WORK/root.pem" --service-account $2 --token-file "$WORK/$2.token")
  else
    SIDECAR_ARGS+=(--xds 127.0.0.1:$P_XDS)
  fi
}

# start_sidecar VAR BUILD(aot|jit) BLOCK SERVICE_ACCOUNT|"" FLAGS...: starts it, its pid in VAR.
start_sidecar() {
  local var=$1 build=$2 block=$3 account=$4; shift 4
  local command=("${AOT_SIDECAR[@]}"); [ "$build" = jit ] && command=("${JIT_SIDECAR[@]}")
  sidecar_args $block $account
  "${command[@]}" "${SIDECAR_ARGS[@]}" --workload "${var//_/-}" "$@" > "$WORK/$var.log" 2>&1 & PIDS+=($!)
  printf -v "$var" %s $!
}

sidecars() {
  phase "sidecars: plain pair ($SIDECAR), mTLS pair ($SIDECAR)$([ "$REFERENCE" = 1 ] && echo ", JIT mTLS pair (reference)")"
  local app="--app-port $P_BACKEND --service-port http=9080"
  start_sidecar server_plain $SIDECAR $P_SERVER_PLAIN "" --labels app=bench $app
  start_sidecar client_plain $SIDECAR $P_CLIENT_PLAIN "" --labels app=loadgen
  start_sidecar server_mtls $SIDECAR $P_SERVER_MTLS server --labels app=bench-mtls,mtls=strict $app
  start_sidecar client_mtls $SIDECAR $P_CLIENT_MTLS client --labels app=loadgen-mtls
  local blocks="$P_SERVER_PLAIN $P_CLIENT_PLAIN $P_SERVER_MTLS $P_CLIENT_MTLS" block
  if [ "$REFERENCE" = 1 ]; then
    start_sidecar server_jit jit $P_SERVER_JIT server --labels app=bench-jit,mtls=strict $app
    start_sidecar client_jit jit $P_CLIENT_JIT client --labels app=loadgen-jit
    blocks+=" $P_SERVER_JIT $P_CLIENT_JIT"
  fi
  for block in $blocks; do wait_for "sidecar :$((block + 2)) ready" 60 "curl -sf http://127.0.0.1:$((block + 2))/healthz/ready"; done
  wait_for "plain route" 10 "route_ok $((P_CLIENT_PLAIN + 1)) bench:9080"
  wait_for "mTLS route" 10 "route_ok $((P_CLIENT_MTLS + 1)) bench-mtls:9080"
  wait_for "single-hop route" 10 "route_ok $((P_CLIENT_PLAIN + 1)) backend:9080"
  [ "$REFERENCE" = 1 ] && wait_for "JIT mTLS route" 10 "route_ok $((P_CLIENT_JIT + 1)) bench-jit:9080"
  wait_for "nginx TLS pair" 10 "curl -sf -o /dev/null http://127.0.0.1:$P_TLS_A/1k"
  # STRICT really holds: plain text straight to an mTLS server sidecar is refused.
  local code
  for block in $P_SERVER_MTLS $([ "$REFERENCE" = 1 ] && echo $P_SERVER_JIT); do
    code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$((block + 6))/1k || true)
    [ "$code" = 000 ] || { echo "the STRICT server sidecar on :$((block + 6)) took plain text ($code)" >&2; exit 1; }
  done
}

route_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $2" http://127.0.0.1:$1/1k)" = 200 ]; }

# wait_for WHAT SECONDS COMMAND: polls every 0.2 s, gives up loudly.
wait_for() {
  local deadline=$((SECONDS + $2))
  until eval "$3" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "gave up waiting for $1 (logs: $WORK)" >&2; exit 1; }
    sleep 0.2
  done
}
