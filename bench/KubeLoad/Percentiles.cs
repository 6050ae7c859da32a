namespace Mesh.Bench.KubeLoad;

/// <summary>Nearest-rank percentiles of per-sample latencies.</summary>
public sealed class Percentiles(IEnumerable<double> values)
{
    private readonly double[] _sorted = [.. values.Order()];

    public int Count => _sorted.Length;

    public double this[double q] => _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(q * _sorted.Length) - 1, 0, _sorted.Length - 1)];

    public double Max => this[1.0];
}
