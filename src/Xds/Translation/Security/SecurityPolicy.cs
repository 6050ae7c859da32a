using System.Text.Json.Nodes;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation.Security;

/// <summary>A stored security resource with its key taken apart: kind, namespace and name, and its spec.</summary>
internal sealed record SecurityPolicy(string Kind, string Namespace, string Name, JsonObject Spec)
{
    public const string AuthorizationPolicy = "AuthorizationPolicy";
    public const string RequestAuthentication = "RequestAuthentication";
    public const string PeerAuthentication = "PeerAuthentication";

    /// <summary>The key is <c>Kind/namespace/name</c>; the spec was validated before it was stored.</summary>
    public static SecurityPolicy Of(ConfigSpec config)
    {
        var parts = config.Key.Split('/', 3);
        var name = parts.Length == 3 ? parts[2] : config.Key;
        var spec = JsonNode.Parse(config.SpecJson) as JsonObject ?? [];
        return new SecurityPolicy(parts[0], config.Namespace, name, spec);
    }

    public static string KindOf(ConfigSpec config) => config.Key.Split('/', 2)[0];
}
