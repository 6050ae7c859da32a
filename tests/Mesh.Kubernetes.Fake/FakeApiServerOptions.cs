using Mesh.Kubernetes.Fake.Resources;

namespace Mesh.Kubernetes.Fake;

/// <summary>How a <see cref="FakeApiServer"/> behaves; the defaults are the real server's where it has one.</summary>
public sealed record FakeApiServerOptions
{
    /// <summary>The kinds served; add a test's own before starting.</summary>
    public ResourceTypes Types { get; init; } = ResourceTypes.Default();

    /// <summary>Events kept for watches that resume from a resourceVersion; older ones get 410 Expired.</summary>
    public int HistoryLimit { get; init; } = 1000;

    /// <summary>How often a watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a watch without <c>timeoutSeconds</c> stays open (the real server: 30 to 60 minutes).</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>False: a watch from an expired resourceVersion gets HTTP 200 and one ERROR event carrying a 410 Status,
    /// as the real server's watch cache answers. True: an HTTP 410 response, as a server without the cache answers.</summary>
    public bool ExpiredWatchAsHttpStatus { get; init; }

    /// <summary>Namespaces that exist from the start, as on a new cluster.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = ["default", "kube-system", "kube-public"];

    /// <summary>Where a webhook whose <c>clientConfig</c> names a Service (namespace, name, port) is reached;
    /// null when it is not. The fake has no cluster network to resolve Services on.</summary>
    public Func<string, string, int, Uri?> ServiceUrls { get; init; } = (_, _, _) => null;
}
