namespace Mesh.Grains.Config;

/// <summary>Names of the grain storage providers grains use; the silo registers them.</summary>
public static class StorageNames
{
    public const string Mesh = "mesh";
}
