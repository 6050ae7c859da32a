namespace Mesh.Cli.Analytics;

/// <summary>A quantile estimated from cumulative histogram buckets as Prometheus' <c>histogram_quantile</c> does:
/// linear within the bucket the rank falls in (the first bucket starting at 0); a rank in the <c>+Inf</c> bucket
/// gives the highest finite bound. An estimate: it is only as fine as the buckets.</summary>
public static class HistogramQuantile
{
    /// <returns>Null when the buckets counted nothing.</returns>
    public static double? Of(double quantile, SortedDictionary<double, double> buckets)
    {
        if (buckets.Count == 0) return null;
        var total = buckets.Last().Value;
        if (total <= 0) return null;
        var rank = quantile * total;
        double lower = 0, below = 0;
        foreach (var (le, count) in buckets)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(le)) return lower;
                return count == below ? le : lower + (le - lower) * (rank - below) / (count - below);
            }
            (lower, below) = (le, count);
        }
        return lower;
    }
}
