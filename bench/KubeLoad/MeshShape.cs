namespace Mesh.Bench.KubeLoad;

/// <summary>What both meshes share: addresses and the DestinationRule every service starts with.</summary>
public static class MeshShape
{
    public const int Port = 80;
    public const int TargetPort = 9080;
    public const int InitialMaxConnections = 100;

    /// <summary>Endpoint <paramref name="index"/> (0 and 1 from the start, 2 the added one) of a service, in a range of its own per mesh.</summary>
    public static string Address(int mesh, int service, int index) => $"10.{mesh * 10 + index}.{service / 256}.{service % 256}";
}
