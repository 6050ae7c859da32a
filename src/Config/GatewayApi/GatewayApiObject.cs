using System.Text.Json.Nodes;
using Mesh.Config.Keys;
using Mesh.Config.Manifests;

namespace Mesh.Config.GatewayApi;

/// <summary>A stored Gateway API resource, with what status and route precedence need besides its spec.</summary>
public sealed record GatewayApiObject(Resource Resource, long Generation, DateTimeOffset CreatedAt)
{
    public string Namespace => Resource.Metadata.Namespace;
    public string Name => Resource.Metadata.Name;
    public JsonObject Spec => Resource.Spec;
    public string Key => Resource.Key;
    public string Kind => Resource.Kind.ManifestKind;
}

/// <summary>Everything the conversion and the status read: the Gateway API resources of the store, the secrets and
/// services that exist, the labels of namespaces (for <c>allowedRoutes</c> selectors), and the status stored last
/// (so that a condition that did not change keeps its <c>lastTransitionTime</c>).</summary>
public sealed record GatewayApiInput
{
    public IReadOnlyList<GatewayApiObject> GatewayClasses { get; init; } = [];
    public IReadOnlyList<GatewayApiObject> Gateways { get; init; } = [];
    public IReadOnlyList<GatewayApiObject> HttpRoutes { get; init; } = [];
    public IReadOnlyList<GatewayApiObject> GrpcRoutes { get; init; } = [];
    public IReadOnlyList<GatewayApiObject> ReferenceGrants { get; init; } = [];

    /// <summary>TLS secrets that exist, as <c>namespace/name</c>.</summary>
    public IReadOnlySet<string> Secrets { get; init; } = new HashSet<string>();

    /// <summary>Service hosts that exist (<c>name.ns.svc.cluster.local</c>); null: not known, every Service counts as found.</summary>
    public IReadOnlySet<string>? ServiceHosts { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NamespaceLabels { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>The status last stored for a resource key, or none.</summary>
    public IReadOnlyDictionary<string, JsonObject> PreviousStatus { get; init; } = new Dictionary<string, JsonObject>();

    public DateTimeOffset Now { get; init; } = DateTimeOffset.UnixEpoch;

    public static string SecretKey(string @namespace, string name) => WorkloadKey.Of(@namespace, name);
}
