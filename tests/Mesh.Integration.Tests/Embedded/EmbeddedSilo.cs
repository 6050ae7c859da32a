using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Embedded;

/// <summary>One embedded silo (SQLite) shared by a test class.</summary>
public sealed class EmbeddedSilo : IAsyncLifetime, IDisposable
{
    private readonly WorkDir _dir = new("embedded");

    public EmbeddedSilo()
    {
        DataDir = Path.Combine(_dir.Path, "data");
        Silo = new SiloProcess(_dir.Path, "silo", ["--data", DataDir, "--feed-expiry", "00:00:06"]);
    }

    public string DataDir { get; }

    public SiloProcess Silo { get; }

    public string WorkDir => _dir.Path;

    public async Task InitializeAsync() => await Silo.Start().WaitReady();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Silo.Dispose();
        _dir.Dispose();
    }
}
