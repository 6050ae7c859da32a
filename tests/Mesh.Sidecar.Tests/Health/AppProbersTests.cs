using Mesh.Sidecar.Health;

namespace Mesh.Sidecar.Tests.Health;

public sealed class AppProbersTests
{
    [Fact]
    public void Parse_InjectorsJson_HttpAndTcp()
    {
        var (probes, errors) = AppProbers.Parse("""
            {"/app-health/reviews/livez": {"httpGet": {"path": "health", "port": 9080, "scheme": "HTTPS", "httpHeaders": [{"name": "X-Probe", "value": "1"}]}, "timeoutSeconds": 3},
             "/app-health/reviews/readyz": {"tcpSocket": {"port": "9081"}}}
            """);
        Assert.Empty(errors);
        var live = probes["/app-health/reviews/livez"];
        Assert.Equal((AppProbeKind.Http, "https", "127.0.0.1", 9080, "/health", TimeSpan.FromSeconds(3)), (live.Kind, live.Scheme, live.Host, live.Port, live.HttpPath, live.Timeout));
        Assert.Equal("X-Probe", Assert.Single(live.Headers).Key);
        var ready = probes["/app-health/reviews/readyz"];
        Assert.Equal((AppProbeKind.Tcp, 9081, TimeSpan.FromSeconds(1)), (ready.Kind, ready.Port, ready.Timeout));
    }

    [Fact]
    public void Parse_Unset_IsEmpty() => Assert.Empty(AppProbers.Parse(null).Probes);

    [Theory]
    [InlineData("{", "MESH_KUBE_APP_PROBERS: not JSON")]
    [InlineData("[]", "MESH_KUBE_APP_PROBERS: expected an object")]
    [InlineData("""{"/healthz": {"tcpSocket": {"port": 1}}}""", "MESH_KUBE_APP_PROBERS[/healthz]: the path must start with /app-health/")]
    [InlineData("""{"/app-health/a/livez": {"exec": {}}}""", "MESH_KUBE_APP_PROBERS[/app-health/a/livez]: expected httpGet or tcpSocket")]
    [InlineData("""{"/app-health/a/livez": {"httpGet": {"port": "http"}}}""", "MESH_KUBE_APP_PROBERS[/app-health/a/livez].httpGet.port: expected a port number")]
    [InlineData("""{"/app-health/a/livez": {"httpGet": {"port": 80, "scheme": "ftp"}}}""", "MESH_KUBE_APP_PROBERS[/app-health/a/livez].httpGet.scheme:")]
    [InlineData("""{"/app-health/a/livez": {"tcpSocket": {"port": 80}, "timeoutSeconds": 0}}""", "MESH_KUBE_APP_PROBERS[/app-health/a/livez].timeoutSeconds:")]
    public void Parse_Bad_NamesThePath(string json, string error) =>
        Assert.Contains(AppProbers.Parse(json).Errors, e => e.StartsWith(error, StringComparison.Ordinal));
}
