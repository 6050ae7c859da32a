#!/usr/bin/env bash
# A rolling upgrade with two builds (issue 13): builds the silo of an older commit (PREVIOUS, default the last commit
# before the outbox landed) into a folder of its own, starts a 3-silo cluster of it on Redis under writes and traffic,
# and replaces its silos one at a time (SIGTERM, drain, start) with this tree's build: the scenario of
# tests/Mesh.Integration.Tests/Cluster/Chaos/RollingRestartTests.cs with MESH_PREVIOUS_SILO_DLL set. While it runs, old
# and new silos share grain state and messages. Appends its outcome to RESULTS; the test asserts no failed request, no
# failed or lost write, every proxy in sync.
#
#   bench/run-rolling-upgrade.sh
#   PREVIOUS=HEAD~5 bench/run-rolling-upgrade.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PREVIOUS=${PREVIOUS:-213845f}
RESULTS=${RESULTS:-$PWD/bench/chaos/results.txt}
OLD=${OLD:-/tmp/mesh-previous-build}
mkdir -p "$(dirname "$RESULTS")"

echo "building the silo at $PREVIOUS into $OLD ..."
rm -rf "$OLD"
git worktree add -q --detach "$OLD/src" "$PREVIOUS"
trap 'git worktree remove --force "$OLD/src" >/dev/null 2>&1 || true' EXIT
ln -s "$PWD/node_modules" "$OLD/src/node_modules"
dotnet build "$OLD/src/src/Silo" -c Debug -nologo -clp:ErrorsOnly -o "$OLD/silo"

echo "building this tree ..."
dotnet build tests/Mesh.Integration.Tests -c Debug -nologo -clp:ErrorsOnly
dotnet publish src/Sidecar -c Debug -nologo -clp:ErrorsOnly >/dev/null

LOG=${LOG:-/tmp/mesh-rolling-upgrade.log}
rc=0
MESH_PREVIOUS_SILO_DLL="$OLD/silo/Mesh.Silo.dll" MESH_CHAOS_REPORT=$RESULTS \
  dotnet test tests/Mesh.Integration.Tests --no-build \
    --filter "FullyQualifiedName~Cluster.Chaos.RollingRestartTests" --logger "console;verbosity=detailed" > "$LOG" 2>&1 || rc=$?
grep -E '^ *(\[[0-9.]+ s\]|20[0-9]{2}-|failed apply)' "$LOG" | head -n 100 || true
grep -E '^ *(Passed|Failed|Total)' "$LOG" || true
exit $rc
