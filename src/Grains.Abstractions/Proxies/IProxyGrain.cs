namespace Mesh.Grains.Proxies;

/// <summary>One connected proxy, keyed by its xDS node id: the latest status its stream reported. Held in
/// memory only: a stream reports again after any change and on reconnect.</summary>
/// <remarks>Version 1: <see cref="ProxyStatus"/> carries the workload's namespace and labels, which an older build's
/// activation would drop (unknown fields are skipped); a report made at version 1 is placed only on a build that keeps
/// them (an older build's activation is replaced), as for <c>IConfigGrain</c>.</remarks>
[Alias("mesh.IProxyGrain")]
[Orleans.CodeGeneration.Version(1)]
public interface IProxyGrain : IGrainWithStringKey
{
    [Alias("Report")] Task Report(ProxyStatus status);
    /// <summary>The stream on <paramref name="silo"/> ended; ignored when another stream has taken over.</summary>
    [Alias("Disconnected")] Task Disconnected(string silo, DateTimeOffset connectedAt);
    [Alias("Get")] Task<ProxyStatus?> Get();
}

/// <summary>Which proxies are connected, sharded into <see cref="ProxyDirectory.Buckets"/> grains by node id.</summary>
[Alias("mesh.IProxyDirectoryGrain")]
public interface IProxyDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Add")] Task Add(string nodeId);
    [Alias("Remove")] Task Remove(string nodeId);
    [Alias("NodeIds")] Task<IReadOnlyList<string>> NodeIds();
}

public static class ProxyDirectory
{
    public const int Buckets = 16;

    public static long BucketOf(string nodeId) => Config.NamespaceDirectory.BucketOf(nodeId);

    /// <summary>The key of the <see cref="IProxyFeedGrain"/> of the node's bucket.</summary>
    public static string FeedKey(string nodeId) => BucketOf(nodeId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The keys of every bucket's feed.</summary>
    public static IEnumerable<string> FeedKeys => Enumerable.Range(0, Buckets).Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
