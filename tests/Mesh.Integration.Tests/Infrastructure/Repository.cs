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

    public static string SidecarDll => Built("src/Sidecar", "mesh-sidecar.dll");

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
