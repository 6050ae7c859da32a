namespace Mesh.Bench.KubeLoad;

/// <summary>One way config reaches the mesh: the Kubernetes API server (the source turns it into config) or Mesh's
/// own management API (the reference). Both hold the same mesh: service <c>i</c> on port 80 with two endpoints
/// and a DestinationRule whose connection pool the route-or-cluster change edits.</summary>
public interface IMeshPath
{
    string Name { get; }

    string Host(int service);

    /// <summary>The address an added endpoint has: a third one beside the two every service starts with.</summary>
    string AddedAddress(int service);

    Task Seed(int services);

    /// <summary>Writes the service's endpoints: the two it starts with, plus the third one when <paramref name="withAdded"/>.</summary>
    Task WriteEndpoints(int service, bool withAdded);

    /// <summary>Writes the service's DestinationRule with <c>connectionPool.tcp.maxConnections</c> = <paramref name="value"/>.</summary>
    Task WriteMaxConnections(int service, int value);
}

/// <summary>What both meshes share: addresses and the DestinationRule every service starts with.</summary>
public static class MeshShape
{
    public const int Port = 80;
    public const int TargetPort = 9080;
    public const int InitialMaxConnections = 100;

    /// <summary>Endpoint <paramref name="index"/> (0 and 1 from the start, 2 the added one) of a service, in a range of its own per mesh.</summary>
    public static string Address(int mesh, int service, int index) => $"10.{mesh * 10 + index}.{service / 256}.{service % 256}";
}
