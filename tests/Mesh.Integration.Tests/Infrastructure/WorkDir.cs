namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>A temporary folder for one test's data and logs, removed afterwards unless MESH_KEEP_TEST_DIRS is set.</summary>
public sealed class WorkDir : IDisposable
{
    public WorkDir(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mesh-{name}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("MESH_KEEP_TEST_DIRS") is not null) return;
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
