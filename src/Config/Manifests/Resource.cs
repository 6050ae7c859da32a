using System.Text.Json.Nodes;
using Mesh.Config.Keys;
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
