using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Kubernetes.Status;

namespace Mesh.Silo.Kubernetes.Status;

/// <summary>What the status writer reads from the mesh: an object's stored spec and the connected proxies.</summary>
public interface IFleetInputs
{
    /// <summary>The object's spec as the config grain stores it, and when its current generation was first stored;
    /// null when the grain holds none.</summary>
    Task<StoredSpec?> Spec(ResourceKind kind, string @namespace, string name);

    /// <summary>The connected proxies: every one read again when <paramref name="whole"/>; otherwise those whose
    /// answers changed since the last read (as <see cref="Follow"/> signalled them), the others as last read.</summary>
    Task<IReadOnlyList<ProxySnapshot>> Proxies(bool whole);

    /// <summary>From now on, calls <paramref name="changed"/> (on any thread; it must not block) soon after any
    /// connected proxy ACKs, NACKs, is sent a response or leaves.</summary>
    void Follow(Action changed);

    /// <summary>The config grain's generation of a Gateway API object and the status the Gateway API grain stored for
    /// it; null when the grain holds none.</summary>
    Task<GatewayApiStored?> GatewayApiStatus(ResourceKind kind, string @namespace, string name);

    /// <summary>From now on, calls <paramref name="changed"/> (on any thread; it must not block) soon after a Gateway API
    /// object of <paramref name="namespace"/> changed in the config grains, its status included.</summary>
    void FollowGatewayApi(string @namespace, Action changed);

    /// <summary>Stores the status on the config grain too, so that <c>meshctl get -o yaml</c> shows the same.</summary>
    Task SetStatus(ResourceKind kind, string @namespace, string name, JsonObject status);
}

/// <param name="ChangedAt">When the config grain first stored this generation: a proxy runs it once it ACKs a response
/// sent after that.</param>
public sealed record StoredSpec(JsonObject Spec, DateTimeOffset ChangedAt);
