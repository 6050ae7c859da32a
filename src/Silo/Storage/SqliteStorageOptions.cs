namespace Mesh.Silo.Storage;

/// <summary>Where the embedded store keeps grain state.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>Folder of the database file <c>mesh.db</c> (default <c>./data</c>); created when missing.</summary>
    public string DataDir { get; set; } = "./data";

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDir), "mesh.db");
}
