#!/usr/bin/env bash
# Scale of the control plane: 1, 3 and 5 silos on Redis (and one embedded silo on SQLite), each at the proxy and
# service counts of RUNS, with SIDECARS of the proxies sidecar-shaped (delta, on demand) and the rest proxyless
# (each protocol of PROTOCOLS in turn, on the same silos). Appends one JSON line per run to OUT/runs.jsonl, then
# bench/ScaleReport writes the tables and plots (OUT/report.md, OUT/*.png). See bench/README.md.
#   bench/run-scale.sh
#   SILOS="1 3 5" RUNS="2000/1000 10000/1000 2000/5000" SIDECARS=200 PROTOCOLS="sotw delta" EMBEDDED=1 bench/run-scale.sh
#   REPORT_ONLY=1 bench/run-scale.sh   # tables and plots again from OUT/runs.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
SILOS="${SILOS:-1 3 5}"; RUNS="${RUNS:-2000/1000 10000/1000 2000/5000}"; SIDECARS="${SIDECARS:-200}"
PROTOCOLS="${PROTOCOLS:-sotw delta}"; EMBEDDED="${EMBEDDED:-1}"; OUT="${OUT:-bench/scale/results}"
LOGS="${LOGS:-/tmp/mesh-scale-logs}" # every silo's log, by run
mkdir -p "$OUT"
report() { dotnet run -c Release --project bench/ScaleReport -- "$OUT"; }
if [ -n "${REPORT_ONLY:-}" ]; then report; exit 0; fi

source bench/scale/cluster.sh
build_bench
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with local changes)')"
  echo "command: SILOS=\"$SILOS\" RUNS=\"$RUNS\" SIDECARS=$SIDECARS PROTOCOLS=\"$PROTOCOLS\" EMBEDDED=$EMBEDDED SILO_ENV=\"${SILO_ENV:-}\" bench/run-scale.sh"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r)"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

# measure LABEL PROXIES SERVICES: every protocol on the silos started last; the first applies the mesh.
measure() {
  local label=$1 proxies=$2 services=$3 setup=()
  for protocol in $PROTOCOLS; do
    echo "## $label, $proxies proxies ($SIDECARS sidecars), $services services, $protocol (load $(cut -d' ' -f1 /proc/loadavg))"
    dotnet "$load_dll" --api "$api" "${xds_args[@]}" "${probe_args[@]}" --streams $((proxies - SIDECARS)) --sidecars "$SIDECARS" \
      --services "$services" --label "$label" --json "$OUT/runs.jsonl" ${setup[@]+"${setup[@]}"} $([ "$protocol" = delta ] && echo --delta) | tail -1 \
      || { echo "(this run failed: its silos' logs are in $LOGS)"; return 1; }
    setup=(--no-setup)
  done
}

for run in $RUNS; do
  proxies="${run%/*}"; services="${run#*/}"
  if [ "$EMBEDDED" = 1 ]; then
    start_embedded; measure "1 silo, SQLite" "$proxies" "$services" || true
    keep_logs "$LOGS" "${run/\//-}-embedded"; stop_silos
  fi
  for n in $SILOS; do
    start_cluster "$n"; measure "$n silo$([ "$n" = 1 ] || echo s), Redis" "$proxies" "$services" || true
    keep_logs "$LOGS" "${run/\//-}-$n"; stop_silos
  done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
report
