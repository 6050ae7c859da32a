#!/usr/bin/env bash
# A long fuzz run of the manifest reader and the validator (tests/Mesh.Config.Tests/Fuzzing): documents generated from
# the schemas and the sample manifests, mutated as trees and as text, fed through the reader and the validator.
# Deterministic for a seed; failing inputs are written to OUT. The test suite runs the same harness for 300 inputs.
#   bench/fuzz/run-config-fuzz.sh [ITERATIONS] [SECONDS] [SEED] [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
export MESH_FUZZ_ITERATIONS="${1:-100000}"
export MESH_FUZZ_SECONDS="${2:-600}"
export MESH_FUZZ_SEED="${3:-1}"
export MESH_FUZZ_OUT="${4:-$(mktemp -d)/fuzz-failures}"
export MESH_FUZZ_INPUT_MS="${MESH_FUZZ_INPUT_MS:-2000}"
dotnet build tests/Mesh.Config.Tests -c Release -nologo -clp:ErrorsOnly >/dev/null
echo "fuzzing: up to $MESH_FUZZ_ITERATIONS inputs or $MESH_FUZZ_SECONDS s, seed $MESH_FUZZ_SEED; failing inputs go to $MESH_FUZZ_OUT"
dotnet test tests/Mesh.Config.Tests -c Release --no-build --nologo \
  --filter "FullyQualifiedName~ConfigFuzzTests.ManifestReaderAndValidator" --logger "console;verbosity=detailed" \
  | grep -E "inputs in|seed [0-9]+ iteration|Passed!|Failed!"
