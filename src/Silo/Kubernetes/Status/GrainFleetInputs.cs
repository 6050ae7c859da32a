using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Grains.Config;
using Mesh.Grains.Proxies;
using Mesh.Kubernetes.Status;

namespace Mesh.Silo.Kubernetes.Status;

/// <summary>Reads the fleet from the grains: the config grain's history and the proxy grains listed in the proxy
/// directory (the source of <c>meshctl proxy-status</c>).</summary>
internal sealed class GrainFleetInputs(IGrainFactory grains) : IFleetInputs
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

    public async Task<IReadOnlyList<ProxySnapshot>> Proxies()
    {
        var buckets = await Task.WhenAll(Enumerable.Range(0, ProxyDirectory.Buckets).Select(b => grains.GetGrain<IProxyDirectoryGrain>(b).NodeIds()));
        var statuses = await Task.WhenAll(buckets.SelectMany(ids => ids).Distinct(StringComparer.Ordinal).Select(id => grains.GetGrain<IProxyGrain>(id).Get()));
        return [.. statuses.OfType<ProxyStatus>().Where(s => s.Connected).Select(Snapshot)];
    }

    public Task SetStatus(ResourceKind kind, string @namespace, string name, JsonObject status) =>
        grains.Config(kind.Kind, @namespace, name).SetStatus(status.ToJsonString());

    internal static ProxySnapshot Snapshot(ProxyStatus status) => new(status.NodeId, [.. status.Types.Select(t => new ProxyTypeSnapshot(
        t.TypeUrl,
        t.SentResources.Keys,
        t.SentAt,
        Acked: t.SentNonce.Length > 0 && t.AckedNonce == t.SentNonce,
        NackError: t.SentNonce.Length > 0 && t.NackedNonce == t.SentNonce ? t.NackError : "",
        NackedAt: t.NackedAt))]);
}
