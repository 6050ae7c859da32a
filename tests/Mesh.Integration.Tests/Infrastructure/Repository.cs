namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>Where the built silo and meshctl are, next to this test assembly's own build.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, whichever this test assembly was built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Contains("Release") ? "Release" : "Debug";

    public static string SiloDll => Built("src/Silo", "mesh-silo.dll");

    public static string MeshctlDll => Built("src/Cli", "meshctl.dll");

    /// <summary>The sidecar the tests run: the NativeAOT binary that <c>dotnet publish src/Sidecar</c> makes (test.sh
    /// publishes it), as users run it. <c>MESH_SIDECAR_JIT=1</c> runs the JIT build instead, for a debugger.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Sidecar
    {
        get
        {
            var jit = Built("src/Sidecar", "mesh-sidecar.dll");
            if (Environment.GetEnvironmentVariable("MESH_SIDECAR_JIT") == "1") return ("dotnet", [jit]);
            var publish = $"dotnet publish src/Sidecar -c {Configuration}";
            var aot = Path.Combine(Root, "src/Sidecar/bin", Configuration, "net10.0", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "publish", "mesh-sidecar");
            if (!File.Exists(aot)) throw new FileNotFoundException($"the NativeAOT sidecar is not published at {aot}; run `{publish}` (or set MESH_SIDECAR_JIT=1)");
            if (File.GetLastWriteTimeUtc(aot) < File.GetLastWriteTimeUtc(jit))
                throw new InvalidOperationException($"the NativeAOT sidecar at {aot} is older than the sidecar's build; run `{publish}` again (or set MESH_SIDECAR_JIT=1)");
            return (aot, []);
        }
    }

    public static string TestBackendDll => Built("tests/backend", "mesh-test-backend.dll");

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{dll} is not built at {path}; run dotnet build first");
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Mesh.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Mesh.sln not found above " + AppContext.BaseDirectory);
    }
}
