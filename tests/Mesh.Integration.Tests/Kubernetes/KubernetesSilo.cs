using System.Diagnostics;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Kubernetes.Fake;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>A fake API server, an embedded silo whose Kubernetes source reads it (<c>--kube-api</c>), and the real
/// <c>kubectl</c> pointed at it (its own cache folder; no client-side validation, the fake has no OpenAPI).</summary>
public sealed class KubernetesSilo : IAsyncLifetime, IDisposable
{
    private readonly WorkDir _dir = new("kubernetes-source");
    private SiloProcess? _silo;

    public FakeApiServer Server { get; private set; } = null!;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public ConfigService.ConfigServiceClient Api => Silo.Client;

    public async Task InitializeAsync()
    {
        Server = await FakeApiServer.Start(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1) });
        _silo = new SiloProcess(_dir.Path, "silo", ["--data", Path.Combine(_dir.Path, "data"), "--kube-api", Server.Url.ToString()]);
        await _silo.Start().WaitReady();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose()
    {
        _silo?.Dispose();
        _dir.Dispose();
    }

    public async Task<string> Kubectl(string stdin, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--server", Server.Url.ToString().TrimEnd('/'), "--cache-dir", Path.Combine(_dir.Path, "kube-cache"), "--kubeconfig", "/dev/null" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Within(TimeSpan.FromSeconds(30), $"kubectl {string.Join(' ', args)}");
        if (process.ExitCode != 0) throw new InvalidOperationException($"kubectl {string.Join(' ', args)} exited {process.ExitCode}: {await error}{await output}");
        return await output;
    }

    public Task<string> Apply(string yaml) => Kubectl(yaml, "apply", "--validate=false", "-f", "-");

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
