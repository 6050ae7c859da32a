using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Xds;

/// <summary>An embedded silo serving xDS, three real gRPC backends (reviews v1, v2, v3) and the bookinfo
/// config that points at them: a ServiceEntry with a workload selector, a WorkloadEntry per backend, a
/// DestinationRule with subsets and a VirtualService.</summary>
public sealed class XdsMesh : IAsyncLifetime, IDisposable
{
    public const string Host = Bookinfo.Host;
    private readonly WorkDir _dir = new("xds");

    public XdsMesh() => Silo = new SiloProcess(_dir.Path, "silo", ["--data", Path.Combine(_dir.Path, "data")],
        new Dictionary<string, string> { ["Logging__LogLevel__Mesh"] = "Debug" });

    public SiloProcess Silo { get; }

    public Dictionary<string, BackendProcess> Backends { get; } = [];

    public string WorkDir => _dir.Path;

    public async Task InitializeAsync()
    {
        Silo.Start();
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            Backends[version] = await BackendProcess.StartAsync(version, _dir.Path);
        }
        await Silo.WaitReady();
        await Apply(Manifest(Backends.ToDictionary(b => b.Key, b => b.Value.Port)));
    }

    public async Task Apply(string manifest) => await Silo.Client.ApplyAsync(new ApplyRequest { Manifest = manifest });

    /// <summary>The VirtualService: <c>x-canary: yes</c> goes to v3, the rest is split between v1 and v2.</summary>
    public static string VirtualService(int v1, int v2) => Bookinfo.VirtualService($$$"""
          - match:
            - headers:
                x-canary: {exact: "yes"}
            route:
            - destination: {host: reviews, subset: v3}
          - route:
            - destination: {host: reviews, subset: v1}
              weight: {{{v1}}}
            - destination: {host: reviews, subset: v2}
              weight: {{{v2}}}
        """);

    /// <summary>A VirtualService whose routes, chosen by the <c>x-test</c> header, inject faults, retry, or time out.</summary>
    public static readonly string PolicyVirtualService = Bookinfo.VirtualService("""
          - match: [{headers: {x-test: {exact: abort}}}]
            fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
            route: [{destination: {host: reviews, subset: v1}}]
          - match: [{headers: {x-test: {exact: delay}}}]
            fault: {delay: {fixedDelay: 3s, percentage: {value: 100}}}
            route: [{destination: {host: reviews, subset: v1}}]
          - match: [{headers: {x-test: {exact: retry}}}]
            retries: {attempts: 3, retryOn: unavailable}
            route: [{destination: {host: reviews, subset: v3}}]
          - match: [{headers: {x-test: {exact: timeout}}}]
            timeout: 300ms
            route: [{destination: {host: reviews, subset: v3}}]
          - match: [{headers: {x-test: {exact: plain}}}]
            route: [{destination: {host: reviews, subset: v3}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """);

    /// <summary>The bookinfo config for backends on the given ports (version → port).</summary>
    public static string Manifest(IReadOnlyDictionary<string, int> backends) => string.Join("\n---\n",
    [
        Bookinfo.ServiceEntry("grpc", "GRPC"),
        .. backends.Select(b => Bookinfo.WorkloadEntry(b.Key, b.Value, "grpc")),
        Bookinfo.DestinationRule(["v1", "v2", "v3"]),
        VirtualService(80, 20),
    ]);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var backend in Backends.Values) backend.Dispose();
        Silo.Dispose();
        _dir.Dispose();
    }
}
