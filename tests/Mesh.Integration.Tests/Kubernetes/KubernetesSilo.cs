using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Kubernetes.Fake;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>A fake API server, an embedded silo whose Kubernetes source reads it (<c>--kube-api</c>), and the real
/// <c>kubectl</c> pointed at it (the fake's own tests' driver, linked in).</summary>
public sealed class KubernetesSilo : IAsyncLifetime, IDisposable
{
    private readonly WorkDir _dir = new("kubernetes-source");
    private SiloProcess? _silo;
    private Kubectl? _kubectl;

    public FakeApiServer Server { get; private set; } = null!;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public ConfigService.ConfigServiceClient Api => Silo.Client;

    public async Task InitializeAsync()
    {
        Server = await FakeApiServer.Start(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1) });
        _kubectl = new Kubectl(Server.Url);
        _silo = new SiloProcess(_dir.Path, "silo", ["--data", Path.Combine(_dir.Path, "data"), "--kube-api", Server.Url.ToString()]);
        await _silo.Start().WaitReady();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose()
    {
        _silo?.Dispose();
        _kubectl?.Dispose();
        _dir.Dispose();
    }

    public async Task<string> RunKubectl(string stdin, params string[] args) => (await _kubectl!.Run(stdin, args)).Succeeded().Output;

    public Task<string> Apply(string yaml) => RunKubectl(yaml, "apply", "--validate=false", "-f", "-");

    /// <summary>Names of the stored resources of a kind in a namespace, with the source annotation or without.</summary>
    public async Task<IReadOnlyList<string>> Stored(string kind, string ns, bool? sourced = null)
    {
        var list = await Api.ListAsync(new ListRequest { Kind = kind, Namespace = ns });
        return [.. list.Items
            .Where(i => sourced is null || i.Metadata.Annotations.TryGetValue("mesh.io/source", out var s) == sourced)
            .Select(i => i.Metadata.Name)
            .Order(StringComparer.Ordinal)];
    }
}
