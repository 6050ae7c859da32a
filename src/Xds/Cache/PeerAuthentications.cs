using Mesh.Config.Keys;
using Mesh.Grains.Services;
using Mesh.Xds.Translation.Security;

namespace Mesh.Xds.Cache;

/// <summary>The security policies of the namespaces some endpoints' workloads live in (and of the root namespace), as
/// far as this silo holds them: the input endpoint translation needs to tell which workloads take plaintext only.
/// A namespace not held yet reads as unknown, which keeps mTLS.</summary>
internal sealed record PeerAuthentications(IReadOnlyDictionary<string, IReadOnlyList<ConfigSpec>> ByNamespace, string RootNamespace)
{
    /// <summary>A namespace's policies if this silo holds them (a miss may start reading them).</summary>
    public delegate bool Lookup(string @namespace, out IReadOnlyList<ConfigSpec> policies);

    public static readonly PeerAuthentications None = new(new Dictionary<string, IReadOnlyList<ConfigSpec>>(), "");

    /// <summary>Asks for the root namespace only once a workload's own namespace is held, as a lookup per endpoint
    /// would: nothing is read that the answer does not need.</summary>
    public static PeerAuthentications Of(IEnumerable<EndpointAddress> endpoints, string rootNamespace, Lookup lookup)
    {
        var held = new Dictionary<string, IReadOnlyList<ConfigSpec>>(StringComparer.Ordinal);
        var asked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            if (NamespaceOf(endpoint) is not { } @namespace || !asked.Add(@namespace)) continue;
            if (!lookup(@namespace, out var own)) continue;
            held[@namespace] = own;
            if (asked.Add(rootNamespace) && lookup(rootNamespace, out var root)) held[rootNamespace] = root;
        }
        return new PeerAuthentications(held, rootNamespace);
    }

    /// <summary>Whether the workload behind an endpoint has PeerAuthentication DISABLE (false while unknown).</summary>
    public bool PlaintextOnly(EndpointAddress endpoint)
    {
        if (NamespaceOf(endpoint) is not { } @namespace || !ByNamespace.TryGetValue(@namespace, out var own)) return false;
        IReadOnlyList<ConfigSpec>? root = [];
        if (@namespace != RootNamespace && !ByNamespace.TryGetValue(RootNamespace, out root)) return false;
        var mtls = PeerAuthenticationTranslator.Effective([.. own, .. root], @namespace, endpoint.Labels, RootNamespace);
        // Port-level modes are for the application's ports, which the endpoint (the sidecar's inbound port) does not
        // name: a workload with any port that takes mTLS keeps getting mTLS.
        const string disable = PeerAuthenticationTranslator.Disable;
        return mtls.Mode == disable && mtls.Ports.Values.All(m => m == disable);
    }

    /// <summary>Whether a policy change in <paramref name="namespace"/> can change what this gives for these endpoints.</summary>
    public static bool Concerns(string @namespace, string rootNamespace, IEnumerable<EndpointAddress> endpoints) =>
        @namespace == rootNamespace || endpoints.Any(e => NamespaceOf(e) == @namespace);

    /// <summary>The namespace of a WorkloadEntry's endpoint; null for a ServiceEntry's inline one.</summary>
    private static string? NamespaceOf(EndpointAddress endpoint)
        => WorkloadKey.TryParse(endpoint.WorkloadKey, out var @namespace, out _) ? @namespace : null;
}
