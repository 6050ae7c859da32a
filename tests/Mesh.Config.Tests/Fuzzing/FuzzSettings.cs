using System.Globalization;

namespace Mesh.Config.Tests.Fuzzing;

/// <summary>How long the fuzz run goes. The test suite runs a short, fixed, deterministic run; bench/fuzz/run-config-fuzz.sh
/// sets the environment for a long one: MESH_FUZZ_ITERATIONS, MESH_FUZZ_SECONDS (a wall-clock cap), MESH_FUZZ_SEED,
/// MESH_FUZZ_OUT (a folder where failing inputs are written).</summary>
internal sealed record FuzzSettings(int Seed, int Iterations, TimeSpan Budget, string? OutputFolder)
{
    /// <summary>Most time one input may take, parse and validate together, on a busy 2-core machine.</summary>
    public static TimeSpan PerInputLimit { get; } = TimeSpan.FromSeconds(2);

    public static FuzzSettings FromEnvironment() => new(
        Number("MESH_FUZZ_SEED", 20261210),
        Number("MESH_FUZZ_ITERATIONS", 400),
        TimeSpan.FromSeconds(Number("MESH_FUZZ_SECONDS", 60)),
        Environment.GetEnvironmentVariable("MESH_FUZZ_OUT") is { Length: > 0 } folder ? folder : null);

    private static int Number(string name, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
