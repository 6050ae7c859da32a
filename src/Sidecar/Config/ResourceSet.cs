using System.Collections.Immutable;
using Google.Protobuf;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Config;

/// <summary>One xDS resource as received: its name, version and decoded message.</summary>
public sealed record ReceivedResource(string Name, string Version, IMessage Message);

/// <summary>Every resource the sidecar holds, by type URL and name, and the names the server said do not exist.
/// Immutable: an update makes a new set, which becomes current only if it compiles.</summary>
public sealed record ResourceSet
{
    public static ResourceSet Empty { get; } = new();

    public ImmutableDictionary<string, ImmutableDictionary<string, ReceivedResource>> ByType { get; init; }
        = ImmutableDictionary<string, ImmutableDictionary<string, ReceivedResource>>.Empty;

    public ImmutableHashSet<XdsResourceKey> Missing { get; init; } = [];

    /// <summary>The version of each type, as last accepted (state of the world: <c>version_info</c>; delta: the
    /// server's <c>system_version_info</c>).</summary>
    public ImmutableDictionary<string, string> TypeVersions { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableDictionary<string, ReceivedResource> Of(string type)
        => ByType.TryGetValue(type, out var resources) ? resources : ImmutableDictionary<string, ReceivedResource>.Empty;

    public T? Get<T>(string type, string name) where T : class, IMessage
        => Of(type).TryGetValue(name, out var resource) ? resource.Message as T : null;

    public bool IsMissing(string type, string name) => Missing.Contains((type, name));

    /// <summary>This set with <paramref name="upserts"/> stored and <paramref name="removed"/> gone (and known missing).</summary>
    public ResourceSet With(string type, IEnumerable<ReceivedResource> upserts, IEnumerable<string> removed, string version)
    {
        var resources = Of(type).ToBuilder();
        var missing = Missing.ToBuilder();
        foreach (var resource in upserts)
        {
            resources[resource.Name] = resource;
            missing.Remove((type, resource.Name));
        }
        foreach (var name in removed)
        {
            resources.Remove(name);
            missing.Add((type, name));
        }
        return this with
        {
            ByType = ByType.SetItem(type, resources.ToImmutable()),
            Missing = missing.ToImmutable(),
            TypeVersions = TypeVersions.SetItem(type, version),
        };
    }
}
