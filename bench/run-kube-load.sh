#!/usr/bin/env bash
# Kubernetes propagation: a fake API server and one embedded silo watching it (--kube-api), one xDS client on
# CDS/EDS; endpoint added, endpoint removed and a DestinationRule edit written to the API server, each against the
# same change through the management API. Prints a markdown table (see bench/README.md).
#   bench/run-kube-load.sh [SERVICES] [CHANGES]
set -euo pipefail
cd "$(dirname "$0")/.."
services="${1:-200}"; changes="${2:-100}"
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/KubeLoad -c Release -nologo -clp:ErrorsOnly >/dev/null
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), bench/run-kube-load.sh $services $changes"
dotnet bench/KubeLoad/bin/Release/net10.0/KubeLoad.dll --silo-dll src/Silo/bin/Release/net10.0/mesh-silo.dll \
  --base-port "${BASE:-27000}" --services "$services" --changes "$changes" ${SAMPLES:+--samples "$SAMPLES"}
