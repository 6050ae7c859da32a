using System.Text.RegularExpressions;

namespace Mesh.Sidecar.Config;

/// <summary>A route configuration: virtual hosts chosen by authority as Envoy chooses them.</summary>
public sealed record RouteTable(string Name, IReadOnlyList<VirtualHostModel> VirtualHosts)
{
    /// <summary>Exact domain first, then the longest suffix wildcard (<c>*.example.com</c>), then the longest prefix
    /// wildcard (<c>example.*</c>), then <c>*</c>; case-insensitive.</summary>
    public VirtualHostModel? Find(string authority)
    {
        VirtualHostModel? suffix = null, prefix = null, any = null;
        int suffixLength = -1, prefixLength = -1;
        foreach (var host in VirtualHosts)
        {
            foreach (var domain in host.Domains)
            {
                if (domain == "*") any ??= host;
                else if (domain.StartsWith('*'))
                {
                    if (domain.Length > suffixLength && authority.EndsWith(domain[1..], StringComparison.OrdinalIgnoreCase) && authority.Length > domain.Length - 1)
                    {
                        suffix = host;
                        suffixLength = domain.Length;
                    }
                }
                else if (domain.EndsWith('*'))
                {
                    if (domain.Length > prefixLength && authority.StartsWith(domain[..^1], StringComparison.OrdinalIgnoreCase) && authority.Length > domain.Length - 1)
                    {
                        prefix = host;
                        prefixLength = domain.Length;
                    }
                }
                else if (string.Equals(domain, authority, StringComparison.OrdinalIgnoreCase)) return host;
            }
        }
        return suffix ?? prefix ?? any;
    }
}

public sealed record VirtualHostModel(string Name, IReadOnlyList<string> Domains, IReadOnlyList<RouteEntry> Routes, HeaderEdits Headers)
{
    /// <summary>Envoy's <c>require_tls: ALL</c>: a request that did not come over TLS is redirected to https.</summary>
    public bool RequireTls { get; init; }
}

/// <summary>One route: a match, and what to do with a request that matches (forward, redirect, or answer).</summary>
public sealed record RouteEntry(
    string Name,
    RouteMatcher Match,
    ForwardAction? Forward,
    RedirectAction? Redirect,
    DirectResponse? Direct,
    HeaderEdits Headers,
    FaultPolicy? Fault)
{
    /// <summary>A gateway route's ApiPolicy, enforced before the request is forwarded; null: none.</summary>
    public ApiPolicyModel? ApiPolicy { get; init; }

    /// <summary>The route's CORS policy, enforced on a forwarded request (Envoy bypasses it for a redirect or a
    /// direct response); null: none.</summary>
    public CorsPolicyModel? Cors { get; init; }
}

public sealed record WeightedCluster(string Name, uint Weight, HeaderEdits Headers)
{
    /// <summary>A cluster by weight; <paramref name="roll"/> is uniform in [0, 1).</summary>
    public static WeightedCluster Pick(IReadOnlyList<WeightedCluster> clusters, double roll, uint? totalWeight = null)
    {
        var total = totalWeight ?? (uint)clusters.Sum(c => (long)c.Weight);
        if (clusters.Count == 1 || total == 0) return clusters[0];
        var point = (long)(roll * total);
        foreach (var cluster in clusters)
        {
            point -= cluster.Weight;
            if (point < 0) return cluster;
        }
        return clusters[^1];
    }
}

public sealed record ForwardAction(
    IReadOnlyList<WeightedCluster> Clusters,
    TimeSpan? Timeout,
    RetryPolicy? Retry,
    IReadOnlyList<HashPolicy> HashPolicies,
    IReadOnlyList<MirrorPolicy> Mirrors,
    string? PrefixRewrite,
    Regex? RegexRewrite,
    /// <summary>In .NET's replacement syntax (converted from Envoy's once, at compile time).</summary>
    string? RegexSubstitution,
    string? HostRewrite)
{
    public uint TotalWeight { get; } = (uint)Clusters.Sum(c => (long)c.Weight);

    /// <summary>A cluster by weight; <paramref name="roll"/> is uniform in [0, 1).</summary>
    public WeightedCluster Pick(double roll) => WeightedCluster.Pick(Clusters, roll, TotalWeight);
}

public sealed record RedirectAction(string? Scheme, string? Host, int? Port, string? Path, string? PrefixRewrite, int StatusCode, bool StripQuery);

public sealed record DirectResponse(int Status, string? Body);

public sealed record MirrorPolicy(string Cluster, Fraction Fraction);

/// <summary>Header edits at one level (virtual host, route, or weighted cluster): set overwrites, add appends.</summary>
public sealed record HeaderEdits(
    IReadOnlyList<HeaderEdit> RequestAdd,
    IReadOnlyList<string> RequestRemove,
    IReadOnlyList<HeaderEdit> ResponseAdd,
    IReadOnlyList<string> ResponseRemove)
{
    public static HeaderEdits None { get; } = new([], [], [], []);

    public bool IsEmpty => RequestAdd.Count == 0 && RequestRemove.Count == 0 && ResponseAdd.Count == 0 && ResponseRemove.Count == 0;
}

public enum HeaderAppend { AppendOrAdd, AddIfAbsent, OverwriteOrAdd, OverwriteIfExists }

public sealed record HeaderEdit(string Name, string Value, HeaderAppend Append);

/// <summary>A probability, as Envoy's FractionalPercent (numerator over a denominator of 100, 10,000 or 1,000,000).</summary>
public readonly record struct Fraction(uint Numerator, uint Denominator)
{
    public static Fraction Always { get; } = new(100, 100);

    public bool Roll(double roll) => roll * Denominator < Numerator;
}

public sealed record FaultPolicy(TimeSpan? Delay, Fraction DelayFraction, int? AbortHttpStatus, int? AbortGrpcStatus, Fraction AbortFraction);

public sealed record RetryPolicy(
    IReadOnlySet<string> RetryOn,
    int NumRetries,
    TimeSpan? PerTryTimeout,
    TimeSpan BaseInterval,
    TimeSpan MaxInterval,
    IReadOnlySet<int> RetriableStatusCodes);

public enum HashSource { Header, Cookie, SourceIp, QueryParameter }

public sealed record HashPolicy(HashSource Source, string Name, TimeSpan? CookieTtl, string? CookiePath, bool Terminal);
