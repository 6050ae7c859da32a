using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Grains.Config;
using Mesh.Kubernetes.Status;

namespace Mesh.Silo.Kubernetes.Status;

/// <summary>Reads the fleet from the grains: the config grain's history, and the proxy grains as the
/// <see cref="ProxyFleet"/> follows them (the source of <c>meshctl proxy-status</c>), the Gateway API grain's status
/// as <see cref="GatewayApiStatusFeed"/> follows it.</summary>
internal sealed class GrainFleetInputs(IGrainFactory grains, ProxyFleet fleet, GatewayApiStatusFeed gatewayApi) : IFleetInputs
{
    public async Task<StoredSpec?> Spec(ResourceKind kind, string @namespace, string name)
    {
        var grain = grains.Config(kind.Kind, @namespace, name);
        if (await grain.Get() is not { } current || JsonNode.Parse(current.SpecJson) is not JsonObject spec) return null;
        // A label change stores a new version of the same spec (a status write too, keeping UpdatedAt): the spec
        // changed at the oldest of them still in the history.
        var history = await grain.History();
        var changedAt = history.TakeWhile(v => v.Generation == current.Generation && v.SpecJson == current.SpecJson)
            .Select(v => v.UpdatedAt).DefaultIfEmpty(current.UpdatedAt).Min();
        return new StoredSpec(spec, changedAt);
    }

    public Task<IReadOnlyList<ProxySnapshot>> Proxies(bool whole) => fleet.Read(whole);

    public void Follow(Action changed) => fleet.Follow(changed);

    public async Task<GatewayApiStored?> GatewayApiStatus(ResourceKind kind, string @namespace, string name) =>
        await grains.Config(kind.Kind, @namespace, name).Get() is { } current
            ? new GatewayApiStored(current.Generation, current.StatusJson is { } json ? JsonNode.Parse(json) as JsonObject : null)
            : null;

    public void FollowGatewayApi(string @namespace, Action changed) => gatewayApi.Follow(@namespace, changed);

    public Task SetStatus(ResourceKind kind, string @namespace, string name, JsonObject status) =>
        grains.Config(kind.Kind, @namespace, name).SetStatus(status.ToJsonString());
}
