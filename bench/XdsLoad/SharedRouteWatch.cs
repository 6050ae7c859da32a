using System.Diagnostics;
using Envoy.Config.Route.V3;

namespace Mesh.Bench.XdsLoad;

/// <summary>What one stream holds of the shared service's route (the weight of its v1 subset), and the wait for a
/// weight the benchmark applied: convergence is the time from the apply to the stream holding that weight.</summary>
public sealed class SharedRouteWatch
{
    private readonly Lock _gate = new();
    private int _weight = -1;
    private int _pushes;
    private (int Weight, long Started, TaskCompletionSource<TimeSpan> Done)? _expected;

    /// <summary>Route updates that carried the shared route since the last <see cref="Expect"/>.</summary>
    public int Pushes
    {
        get
        {
            lock (_gate) return _pushes;
        }
    }

    /// <summary>Completes when the stream holds <paramref name="weight"/>, with the time since <paramref name="started"/>.</summary>
    public Task<TimeSpan> Expect(int weight, long started)
    {
        var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pushes = 0;
            _expected = (weight, started, done);
        }
        return done.Task;
    }

    public void Fail(Exception exception)
    {
        lock (_gate) _expected?.Done.TrySetException(exception);
    }

    /// <summary>A response carried the shared route configuration.</summary>
    public void Saw(RouteConfiguration route)
    {
        var weight = Weight(route);
        lock (_gate)
        {
            _pushes++;
            _weight = weight;
            if (_expected is { } expected && expected.Weight == weight) expected.Done.TrySetResult(Stopwatch.GetElapsedTime(expected.Started));
        }
    }

    private static int Weight(RouteConfiguration route) =>
        route.VirtualHosts.SelectMany(h => h.Routes).Select(r => r.Route_?.WeightedClusters).FirstOrDefault(w => w is not null) is { } split
            ? (int)(split.Clusters[0].Weight ?? 0)
            : -1;
}
