using System.Text.Json.Nodes;
using Mesh.Config.Kinds;

namespace Mesh.Config.Manifests;

/// <summary>A validated config resource: its kind, metadata and spec exactly as the user wrote them.</summary>
public sealed record Resource(ResourceKind Kind, string ApiVersion, ResourceMetadata Metadata, JsonObject Spec)
{
    /// <summary>The grain key: <c>VirtualService/bookinfo/reviews</c>.</summary>
    public string Key => ResourceKey.Of(Kind.Kind, Metadata.Namespace, Metadata.Name);

    /// <summary><c>VirtualService bookinfo/reviews</c>, as errors name it.</summary>
    public string DisplayName => $"{Kind.Kind} {Metadata.Namespace}/{Metadata.Name}";
}

/// <summary>Builds and splits the <c>kind/namespace/name</c> keys that config grains are keyed by.</summary>
public static class ResourceKey
{
    public static string Of(string kind, string @namespace, string name) => $"{kind}/{@namespace}/{name}";

    public static (string Kind, string Namespace, string Name) Split(string key)
    {
        var parts = key.Split('/', 3);
        if (parts.Length != 3) throw new FormatException($"'{key}' is not a kind/namespace/name key");
        return (parts[0], parts[1], parts[2]);
    }
}
