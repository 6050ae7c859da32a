using Mesh.Xds.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Xds.Tests.Server;

public sealed class ProxyStatusRecorderTests
{
    private static async Task Until(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not happen within {limit.TotalSeconds:0} s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task ASiloDies_TheStreamReportsAgainAndPutsItsNodeBackInTheDirectory()
    {
        var grains = ProxyGrains.Create(out var proxy, out var directory);
        await using var recorder = new ProxyStatusRecorder(grains, "node-1", "silo-1", delta: false, "test", NullLogger.Instance);
        await Until(() => proxy.Reports >= 1, TimeSpan.FromSeconds(5), "the first report");
        var before = proxy.Reports;

        recorder.RenewNow();

        await Until(() => directory.Added == 1 && proxy.Reports > before, TimeSpan.FromSeconds(5), "a report and the node back in its bucket");
    }

    [Fact]
    public async Task TheReport_CarriesWhereTheProxyServesItsMetrics_AndItsWorkloadsNamespaceAndLabels()
    {
        var grains = ProxyGrains.Create(out var proxy);
        await using var recorder = new ProxyStatusRecorder(grains, "router~10.0.0.5~ingress.istio-system~istio-system.svc.cluster.local", "silo-1",
            delta: false, "test", NullLogger.Instance, node: new ProxyNodeFacts("http://10.0.0.5:15090/stats/prometheus", "istio-system", new Dictionary<string, string> { ["istio"] = "ingressgateway" }));

        await Until(() => proxy.Reports >= 1, TimeSpan.FromSeconds(5), "the first report");

        Assert.Equal("http://10.0.0.5:15090/stats/prometheus", proxy.Last.MetricsUrl);
        Assert.Equal("istio-system", proxy.Last.Namespace);
        Assert.Equal("ingressgateway", proxy.Last.Labels["istio"]);
    }

    [Fact]
    public async Task AReportThatNeverAnswers_IsGivenUpAndSentAgain()
    {
        var grains = ProxyGrains.Create(out var proxy);
        proxy.Hang = new TaskCompletionSource().Task;
        await using var recorder = new ProxyStatusRecorder(grains, "node-1", "silo-1", delta: false, "test", NullLogger.Instance);
        await Until(() => proxy.Reports >= 1, TimeSpan.FromSeconds(5), "the first report");

        // Orleans' response timeout would hold it for 30 s; the recorder gives up after 5 s.
        await Until(() => proxy.Reports >= 2, TimeSpan.FromSeconds(9), "the report sent again");
        proxy.Hang = null;
    }
}
