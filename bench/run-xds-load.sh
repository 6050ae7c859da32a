#!/usr/bin/env bash
# xDS fan-out and convergence: N simulated proxyless clients, SotW then delta, on an embedded silo and on
# 3 silos over Redis (appendfsync always). Prints markdown rows (see bench/README.md).
#   bench/run-xds-load.sh [STREAMS] [SERVICES]
set -euo pipefail
cd "$(dirname "$0")/.."
streams="${1:-1000}"; services="${2:-1000}"
source bench/scale/cluster.sh
build_bench

echo "## embedded (SQLite), $streams streams, $services services"
start_embedded
dotnet "$load_dll" --api "$api" "${xds_args[@]}" --streams "$streams" --services "$services" "${probe_args[@]}" --label "1 silo"
dotnet "$load_dll" --api "$api" "${xds_args[@]}" --streams "$streams" --services "$services" "${probe_args[@]}" --label "1 silo" --delta --no-setup | tail -1
stop_silos

echo "## 3 silos on Redis, $streams streams, $services services"
start_cluster 3
dotnet "$load_dll" --api "$api" "${xds_args[@]}" --streams "$streams" --services "$services" "${probe_args[@]}" --label "3 silos + Redis"
dotnet "$load_dll" --api "$api" "${xds_args[@]}" --streams "$streams" --services "$services" "${probe_args[@]}" --label "3 silos + Redis" --delta --no-setup | tail -1
