using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Edge;

/// <summary>What every edge fixture (Istio's, the Gateway API's, ApiPolicy's) starts from: a work folder, a control plane
/// keeping its data there and started first, the processes the fixture starts (stopped in reverse order, before the
/// control plane), and apply.</summary>
public abstract class EdgeFixture : IAsyncLifetime, IDisposable
{
    private readonly WorkDir _dir;
    private readonly List<IDisposable> _owned = [];

    protected EdgeFixture(string name)
    {
        _dir = new(name);
        Silo = new SiloProcess(_dir.Path, "silo", ["--data", Path.Combine(_dir.Path, "data")]);
    }

    public SiloProcess Silo { get; }

    public string WorkDir => _dir.Path;

    public async Task InitializeAsync()
    {
        Silo.Start();
        await Silo.WaitReady();
        await Start();
    }

    /// <summary>Everything once the control plane is ready: backends, credentials, gateways, config.</summary>
    protected abstract Task Start();

    public async Task Apply(string manifest) => await Silo.Client.ApplyAsync(new ApplyRequest { Manifest = manifest });

    /// <summary>A process (or anything) the fixture stops when it is disposed.</summary>
    protected T Own<T>(T owned) where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned)) owned.Dispose();
        Silo.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
