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
