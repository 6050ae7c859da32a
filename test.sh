#!/usr/bin/env bash
# Runs every Mesh test. Installs what the tests need on the way (Debian's redis-server) when run as root,
# or says exactly what to install. Ends with one line: "N passed, N failed, N skipped".
#   ./test.sh                 everything
#   ./test.sh --filter X      only tests whose name contains X (dotnet test --filter FullyQualifiedName~X)
set -uo pipefail
cd "$(dirname "$0")"

filter=""
if [[ "${1:-}" == "--filter" && -n "${2:-}" ]]; then filter="$2"; fi

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if ! /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1; then need_apt+=(python3-yaml); fi
# The C-core xDS client driver (tests/xds-clients/client.py) runs on Debian's grpcio.
if ! /usr/bin/python3 -c 'import grpc' >/dev/null 2>&1; then need_apt+=(python3-grpcio); fi
# The sidecar under test is NativeAOT: its native link needs clang and zlib's headers.
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
[[ -f /usr/include/zlib.h ]] || need_apt+=(zlib1g-dev)
# Transparent capture's tests install mesh-sidecar capture's rules in network namespaces they create.
command -v iptables-restore >/dev/null 2>&1 || need_apt+=(iptables)
if ((${#need_apt[@]} > 0)); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing ${need_apt[*]} (Debian packages the tests need)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq "${need_apt[@]}" >/dev/null \
      || { echo "error: could not install ${need_apt[*]}; install them and run again"; exit 1; }
  else
    echo "error: the tests need: ${need_apt[*]}. Install them with: sudo apt-get install -y ${need_apt[*]}"
    exit 1
  fi
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "error: Node.js 20 and npm are needed (the xDS protos and the grpc-js-xds test client come from npm): install them and run again"
  exit 1
fi
if [[ ! -d node_modules/@grpc/grpc-js-xds ]]; then
  echo "==> npm ci (Envoy xDS protos and the grpc-js-xds test client)"
  npm ci --no-audit --no-fund || { echo "error: npm ci failed; check that the npm registry is reachable"; exit 1; }
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK is not installed (https://dot.net); dotnet must be on PATH"
  exit 1
fi

echo "==> building"
if ! dotnet build Mesh.sln -c Debug -nologo -clp:ErrorsOnly; then
  echo "0 passed, 1 failed (the build failed)"
  exit 1
fi
echo "==> publishing the NativeAOT sidecar (the tests run it as users do)"
if ! dotnet publish src/Sidecar -c Debug -nologo -clp:ErrorsOnly; then
  echo "0 passed, 1 failed (the NativeAOT publish of the sidecar failed)"
  exit 1
fi

passed=0; failed=0; skipped=0; status=0
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# One test project at a time: the integration tests run real silos and Redis on a 2-core machine.
for project in tests/*/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  echo "==> $name"
  args=(test "$project" --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results")
  [[ -n "$filter" ]] && args+=(--filter "FullyQualifiedName~$filter")
  dotnet "${args[@]}" || status=1
  trx="$results/$name.trx"
  if [[ -f "$trx" ]]; then
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
    get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
    p=$(get passed); f=$(get failed); e=$(get error); t=$(get total); x=$(get executed)
    passed=$((passed + p)); failed=$((failed + f + e)); skipped=$((skipped + t - x))
  elif [[ -z "$filter" ]]; then
    echo "error: $name produced no results"
    failed=$((failed + 1)); status=1
  fi
done

echo "==> deploy manifests"
render="$(bash deploy/test-render.sh 2>&1)"; render_status=$?
echo "$render" | tail -5
line="$(echo "$render" | grep -E '^deploy-render: [0-9]+ passed, [0-9]+ failed' | tail -1)"
if [[ -n "$line" && -z "$filter" ]]; then
  p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+'); f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
  passed=$((passed + p)); failed=$((failed + f))
fi
[[ $render_status == 0 ]] || status=1

((failed > 0)) && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
