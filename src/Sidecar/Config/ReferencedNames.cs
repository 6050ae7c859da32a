using System.Collections.Immutable;

namespace Mesh.Sidecar.Config;

/// <summary>The names a model's resources refer to, which the proxy subscribes to: route tables its listeners name,
/// clusters its routes (and a gateway's tcp_proxy chains) send to, EDS assignments its clusters take, secrets a
/// gateway's chains name. Kept with the model and adjusted by each update for
/// the resources it changed, so that a push costs the same whatever the number of resources held.</summary>
public sealed record ModelReferences(ReferencedNames Routes, ReferencedNames Clusters, ReferencedNames Endpoints)
{
    public static ModelReferences Empty { get; } = new(ReferencedNames.Empty, ReferencedNames.Empty, ReferencedNames.Empty);

    /// <summary>The SDS secrets a gateway's filter chains name (certificates, client-certificate roots).</summary>
    public ReferencedNames Secrets { get; init; } = ReferencedNames.Empty;

    /// <summary>Whether <paramref name="other"/> refers to the same names (only the counts may differ).</summary>
    public bool SameNames(ModelReferences other)
        => Routes.Names == other.Routes.Names && Clusters.Names == other.Clusters.Names && Endpoints.Names == other.Endpoints.Names
            && Secrets.Names == other.Secrets.Names;
}

/// <summary>Names referred to, each with how many resources refer to it; immutable.</summary>
public sealed class ReferencedNames
{
    private readonly ImmutableDictionary<string, int> _counts;

    private ReferencedNames(ImmutableDictionary<string, int> counts, ImmutableHashSet<string> names)
    {
        _counts = counts;
        Names = names;
    }

    public static ReferencedNames Empty { get; } = new(ImmutableDictionary.Create<string, int>(StringComparer.Ordinal), ImmutableHashSet.Create<string>(StringComparer.Ordinal));

    /// <summary>Every name at least one resource refers to. The same instance as long as that set does not change.</summary>
    public ImmutableHashSet<string> Names { get; }

    /// <summary>These names after one resource stopped referring to <paramref name="dropped"/> and started referring to
    /// <paramref name="added"/>.</summary>
    public ReferencedNames Change(IEnumerable<string> dropped, IEnumerable<string> added)
    {
        var counts = _counts.ToBuilder();
        var names = Names.ToBuilder();
        // Added first: a name both dropped and added never leaves the set, which stays the same instance.
        foreach (var name in added)
        {
            var count = counts.GetValueOrDefault(name) + 1;
            counts[name] = count;
            if (count == 1) names.Add(name);
        }
        foreach (var name in dropped)
        {
            var count = counts.GetValueOrDefault(name) - 1;
            if (count > 0) counts[name] = count;
            else
            {
                counts.Remove(name);
                names.Remove(name);
            }
        }
        return new ReferencedNames(counts.ToImmutable(), names.ToImmutable());
    }
}
