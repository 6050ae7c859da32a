# Sourced by run-sidecar-bench.sh: the measurements. Each writes its raw data under $WORK and one manifest line
# per measured thing; bench/SidecarReport computes every number from those files.

# ticks_of PID...: utime+stime (fields 14 and 15 of /proc/PID/stat, in clock ticks), summed over the processes.
ticks_of() {
  local total=0 pid stat fields
  for pid in "$@"; do
    stat=$(< /proc/$pid/stat)
    read -ra fields <<< "${stat##*) }" # after the command name, field 3 (state) is index 0
    total=$((total + fields[11] + fields[12]))
  done
  echo $total
}

# rss_of PID...: VmRSS in kB, summed over the processes.
rss_of() {
  local total=0 pid key value rest
  for pid in "$@"; do
    while read -r key value rest; do [ "$key" = VmRSS: ] && total=$((total + value)); done < /proc/$pid/status
  done
  echo $total
}

# sample FILE INTERVAL PID...: one line per INTERVAL seconds until killed: µs since the epoch, CPU ticks, RSS kB.
sample() {
  local file=$1 interval=$2; shift 2
  while :; do
    printf '%s\t%s\t%s\n' "${EPOCHREALTIME/./}" "$(ticks_of "$@")" "$(rss_of "$@")" >> "$file"
    sleep "$interval"
  done
}

# forget PID: a process this script stopped itself is not stopped again on exit (its pid may be reused by then).
forget() { local kept=() p; for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done; PIDS=("${kept[@]}"); }

stop_samplers() { [ $# -eq 0 ] && return; kill "$@" 2>/dev/null || true; wait "$@" 2>/dev/null || true; }

# fixed_rate KEY LABEL URL AUTHORITY [PROXY_NAME "PIDS" PROCESSES]...: RATE req/s over CONNECTIONS keep-alive
# HTTP/1.1 connections (h2load's --rps is per connection), WARMUP s then DURATION s logged request by request.
fixed_rate() {
  local key=$1 label=$2 url=$3 authority=$4; shift 4
  local dir="$WORK/fixed" samplers=() file n=0
  mkdir -p "$dir"
  phase "fixed rate: $label ($WARMUP s warm-up + $DURATION s at $RATE req/s)"
  printf 'fixed\tpath=%s\tlabel=%s\tlog=%s\n' "$key" "$label" "$dir/$key.log" >> "$MANIFEST"
  while [ $# -gt 0 ]; do
    n=$((n + 1)); file="$dir/$key.proxy$n.samples"
    sample "$file" 1 $2 & samplers+=($!)
    printf 'proxy\tpath=%s\tname=%s\tprocesses=%s\tsamples=%s\n' "$key" "$1" "$3" "$file" >> "$MANIFEST"
    shift 3
  done
  sleep 0.3 # the first sample of each proxy, before any load: its idle RSS
  h2load --h1 -t 1 -c $CONNECTIONS --rps "$(awk -v r=$RATE -v c=$CONNECTIONS 'BEGIN { print r / c }')" \
    -D $DURATION --warm-up-time $WARMUP ${authority:+-H ":authority: $authority"} --log-file "$dir/$key.log" "$url" \
    > "$dir/$key.h2load.txt"
  stop_samplers "${samplers[@]}"
}

fixed_rate_paths() {
  local aot_or_jit=${SIDECAR^^}
  fixed_rate direct "direct" http://127.0.0.1:$P_BACKEND/1k ""
  fixed_rate nginx-tls "two nginx, TLS between" http://127.0.0.1:$P_TLS_A/1k "" \
    "nginx A (TLS origin)" "$(nginx_pids tls-a)" "master + 1 worker" \
    "nginx B (TLS, client cert checked)" "$(nginx_pids tls-b)" "master + 1 worker"
  fixed_rate mesh-mtls "two sidecars, mTLS (STRICT), $aot_or_jit" http://127.0.0.1:$((P_CLIENT_MTLS + 1))/1k bench-mtls:9080 \
    "client sidecar ($aot_or_jit)" "$client_mtls" "1" "server sidecar ($aot_or_jit)" "$server_mtls" "1"
  fixed_rate mesh-plain "two sidecars, plain text, $aot_or_jit" http://127.0.0.1:$((P_CLIENT_PLAIN + 1))/1k bench:9080 \
    "client sidecar ($aot_or_jit)" "$client_plain" "1" "server sidecar ($aot_or_jit)" "$server_plain" "1"
  [ "$REFERENCE" = 1 ] && fixed_rate mesh-mtls-jit "two sidecars, mTLS, JIT (previous build)" \
    http://127.0.0.1:$((P_CLIENT_JIT + 1))/1k bench-jit:9080 \
    "client sidecar (JIT)" "$client_jit" "1" "server sidecar (JIT)" "$server_jit" "1"
  return 0
}

# saturate KEY PROTOCOL LABEL PROXY URL AUTHORITY "PIDS": SAT_CONNECTIONS connections as fast as they go. The
# proxy's CPU is read around the measured run (a 1 s run before it warms up the connections' paths).
saturate() {
  local key=$1 protocol=$2 label=$3 proxy=$4 url=$5 authority=$6 pids=$7
  local out="$WORK/sat/$key-${protocol//[^a-zA-Z0-9]/}.txt" flags=(-t 1 -c $SAT_CONNECTIONS -m 1)
  [ "$protocol" = HTTP/1.1 ] && flags+=(--h1)
  [ -n "$authority" ] && flags+=(-H ":authority: $authority")
  phase "saturation: $label, $protocol ($DURATION_SAT s)"
  h2load "${flags[@]}" -D 1 "$url" > /dev/null
  local t0=${EPOCHREALTIME/./} c0=-; [ -n "$pids" ] && c0=$(ticks_of $pids)
  h2load "${flags[@]}" -D $DURATION_SAT "$url" > "$out"
  local t1=${EPOCHREALTIME/./} ticks=-; [ -n "$pids" ] && ticks=$(($(ticks_of $pids) - c0))
  printf 'sat\tkey=%s\tproto=%s\tlabel=%s\tproxy=%s\tout=%s\tticks=%s\twall=%s\n' "$key" "$protocol" "$label" "$proxy" \
    "$out" "$ticks" "$(awk -v d=$((t1 - t0)) 'BEGIN { print d / 1e6 }')" >> "$MANIFEST"
}

saturation() {
  mkdir -p "$WORK/sat"
  local protocol hop=$P_HOP_H1 backend=$P_BACKEND
  for protocol in HTTP/1.1 HTTP/2; do
    [ $protocol = HTTP/2 ] && hop=$P_HOP_H2 backend=$P_BACKEND_H2
    saturate direct $protocol "direct" "-" http://127.0.0.1:$backend/1k "" ""
    saturate nginx $protocol "one nginx hop" "nginx, master + 2 workers" http://127.0.0.1:$hop/1k "" "$(nginx_pids hop)"
    saturate sidecar $protocol "one sidecar hop" "client sidecar (${SIDECAR^^}), outbound" \
      http://127.0.0.1:$((P_CLIENT_PLAIN + 1))/1k backend:9080 "$client_plain"
  done
}

# startup BUILD: STARTS fresh mTLS sidecars (token, certificate from the CA, config), each timed from just before
# its process starts to /healthz/ready answering 200, polled every 5 ms.
startup() {
  local build=$1 i t0 t1 pid health=$((P_STARTUP + 2))
  phase "startup: $STARTS starts of the $build sidecar"
  for i in $(seq 1 $STARTS); do
    t0=${EPOCHREALTIME/./}
    start_sidecar startup_sidecar $build $P_STARTUP startup --labels app=startup
    pid=$startup_sidecar
    until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 http://127.0.0.1:$health/healthz/ready)" = 200 ]; do
      [ $((${EPOCHREALTIME/./} - t0)) -lt 30000000 ] || { echo "the $build sidecar was not ready in 30 s" >&2; exit 1; }
      sleep 0.005
    done
    t1=${EPOCHREALTIME/./}
    kill -9 $pid; wait $pid 2>/dev/null || true
    forget $pid
    printf 'ready\tbuild=%s\tms=%s\n' ${build^^} "$(awk -v d=$((t1 - t0)) 'BEGIN { print d / 1000 }')" >> "$MANIFEST"
  done
}

# soak: the mTLS pair at the fixed rate for SOAK seconds, each sidecar's RSS every 5 s.
soak() {
  local samplers=() dir="$WORK/soak"
  mkdir -p "$dir"
  phase "soak: the mTLS pair at $RATE req/s for $SOAK s"
  sample "$dir/client.samples" 5 $client_mtls & samplers+=($!)
  sample "$dir/server.samples" 5 $server_mtls & samplers+=($!)
  printf 'soak\tname=client sidecar\tsamples=%s\nsoak\tname=server sidecar\tsamples=%s\nsoaklog\tlog=%s\n' \
    "$dir/client.samples" "$dir/server.samples" "$dir/soak.log" >> "$MANIFEST"
  sleep 0.3
  h2load --h1 -t 1 -c $CONNECTIONS --rps "$(awk -v r=$RATE -v c=$CONNECTIONS 'BEGIN { print r / c }')" -D $SOAK \
    -H ":authority: bench-mtls:9080" --log-file "$dir/soak.log" http://127.0.0.1:$((P_CLIENT_MTLS + 1))/1k > "$dir/soak.h2load.txt"
  stop_samplers "${samplers[@]}"
}
