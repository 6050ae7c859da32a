#!/usr/bin/env bash
# Sends N requests (default 100) to productpage through the mesh and counts which reviews version served each.
#
#   deploy/samples/watch-split.sh [N] [PROXY] [--loop]
#
# PROXY is the sidecar outbound port used as an HTTP proxy (default http://127.0.0.1:16001, productpage's
# sidecar in run-local-mesh.sh). Prints e.g. "v1: 91  v2: 0  v3: 9  failed: 0"; --loop repeats every 2 s.
set -uo pipefail

COUNT=100
PROXY=http://127.0.0.1:16001
LOOP=0
positional=0
for arg in "$@"; do
  case "$arg" in
    --loop) LOOP=1 ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *)
      case $positional in
        0) COUNT=$arg ;;
        1) PROXY=$arg ;;
        *) echo "too many arguments (try --help)" >&2; exit 2 ;;
      esac
      positional=$((positional + 1)) ;;
  esac
done
if ! [[ $COUNT =~ ^[0-9]+$ ]]; then
  echo "N must be a number, not $COUNT" >&2
  exit 2
fi

one_round() {
  declare -A seen=([v1]=0 [v2]=0 [v3]=0)
  local failed=0 i page version line
  for ((i = 0; i < COUNT; i++)); do
    page=$(curl -s --max-time 10 -x "$PROXY" http://productpage:9080/productpage) || page=""
    version=$(sed -n 's/^reviews-version: *//p' <<<"$page" | head -n 1)
    if [[ -n $version ]]; then
      seen[$version]=$((${seen[$version]:-0} + 1))
    else
      failed=$((failed + 1))
    fi
  done
  line=""
  for version in $(printf '%s\n' "${!seen[@]}" | sort); do
    line+="$version: ${seen[$version]}  "
  done
  echo "${line}failed: $failed"
}

if ((LOOP)); then
  while true; do
    echo "$(date +%T)  $(one_round)"
    sleep 2
  done
else
  one_round
fi
