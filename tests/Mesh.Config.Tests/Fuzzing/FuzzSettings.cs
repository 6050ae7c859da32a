using System.Globalization;

namespace Mesh.Config.Tests.Fuzzing;

/// <summary>How long the fuzz run goes. The test suite runs a short, fixed, deterministic run; bench/fuzz/run-config-fuzz.sh
/// sets the environment for a long one: MESH_FUZZ_ITERATIONS, MESH_FUZZ_SECONDS (a wall-clock cap), MESH_FUZZ_SEED,
/// MESH_FUZZ_OUT (a folder where failing inputs are written), MESH_FUZZ_INPUT_MS (the time limit's fixed part).</summary>
internal sealed record FuzzSettings(int Seed, int Iterations, TimeSpan Budget, string? OutputFolder, TimeSpan InputBase)
{
    /// <summary>Most time one input may take, read and validated: a fixed part, plus a second per MiB, because reading
    /// is linear in the input's size and the size is bounded (8 MiB). The suite's fixed part (3 s) leaves room for the
    /// other tests running beside it on 2 cores; the bench script, running alone, sets 2 s.</summary>
    public TimeSpan LimitFor(int bytes) => InputBase + TimeSpan.FromSeconds(bytes / (1024.0 * 1024.0));

    public static FuzzSettings FromEnvironment() => new(
        Number("MESH_FUZZ_SEED", 20261210),
        Number("MESH_FUZZ_ITERATIONS", 300),
        TimeSpan.FromSeconds(Number("MESH_FUZZ_SECONDS", 60)),
        Environment.GetEnvironmentVariable("MESH_FUZZ_OUT") is { Length: > 0 } folder ? folder : null,
        TimeSpan.FromMilliseconds(Number("MESH_FUZZ_INPUT_MS", 3000)));

    private static int Number(string name, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
