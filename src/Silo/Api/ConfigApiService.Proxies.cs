using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Grains.Proxies;
using Mesh.Xds.Resources;

namespace Mesh.Silo.Api;

public sealed partial class ConfigApiService
{
    public override async Task<ProxyStatusResponse> ProxyStatus(ProxyStatusRequest request, ServerCallContext context)
    {
        IReadOnlyList<string> nodes = request.NodeId.Length > 0 ? [RequireNodeId(request.NodeId)] : await ProxyNodes();
        var statuses = await Task.WhenAll(nodes.Select(node => grains.GetGrain<IProxyGrain>(node).Get()));
        var response = new ProxyStatusResponse();
        response.Proxies.Add(statuses.OfType<Mesh.Grains.Proxies.ProxyStatus>().Where(s => s.Connected).OrderBy(s => s.NodeId, StringComparer.Ordinal).Select(ToApi));
        if (request.NodeId.Length > 0 && response.Proxies.Count == 0)
        {
            throw ApiErrors.NotFound($"no proxy with node id \"{request.NodeId}\" is connected; meshctl proxy-status lists those that are");
        }
        return response;
    }

    /// <summary>A node id as proxies send it (<c>sidecar~10.0.0.1~reviews-v1.bookinfo~bookinfo.svc.cluster.local</c>): not blank.</summary>
    private static string RequireNodeId(string nodeId) =>
        string.IsNullOrWhiteSpace(nodeId)
            ? throw ApiErrors.Invalid("a proxy's node id is required; meshctl proxy-status lists the connected ones")
            : nodeId;

    public override async Task<ProxyConfigResponse> ProxyConfig(ProxyConfigRequest request, ServerCallContext context)
    {
        var status = await grains.GetGrain<IProxyGrain>(RequireNodeId(request.NodeId)).Get();
        if (status is null || !status.Connected)
        {
            throw ApiErrors.NotFound($"no proxy with node id \"{request.NodeId}\" is connected; meshctl proxy-status lists those that are");
        }
        var resources = new JsonObject();
        foreach (var type in status.Types)
        {
            var list = new JsonArray();
            foreach (var (name, version) in type.SentResources.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                // Translated again on this silo: the same content gives the same version on every silo.
                var current = await xds.Get(type.TypeUrl, name);
                var entry = new JsonObject { ["name"] = name, ["version"] = version };
                if (current is null) entry["note"] = "no longer exists";
                else
                {
                    if (current.Version != version) entry["note"] = $"changed since it was sent (now {current.Version})";
                    entry["resource"] = JsonNode.Parse(XdsJson.Formatter.Format(current.Message));
                }
                list.Add(entry);
            }
            resources[TypeUrls.ShortName(type.TypeUrl)] = list;
        }
        var dump = new JsonObject { ["node"] = status.NodeId, ["silo"] = status.Silo, ["resources"] = resources };
        return new ProxyConfigResponse { Json = dump.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) };
    }

    private async Task<IReadOnlyList<string>> ProxyNodes()
    {
        var buckets = await Task.WhenAll(Enumerable.Range(0, ProxyDirectory.Buckets).Select(b => grains.GetGrain<IProxyDirectoryGrain>(b).NodeIds()));
        return [.. buckets.SelectMany(b => b).Distinct()];
    }

    private static ProxyStatusEntry ToApi(Mesh.Grains.Proxies.ProxyStatus status)
    {
        var entry = new ProxyStatusEntry
        {
            NodeId = status.NodeId,
            Silo = status.Silo,
            Client = status.ClientVersion,
            Delta = status.Delta,
            ConnectedAt = Timestamp.FromDateTimeOffset(status.ConnectedAt),
            MetricsUrl = status.MetricsUrl,
        };
        entry.Types_.Add(status.Types.Select(t => new ProxyTypeStatus
        {
            Type = TypeUrls.ShortName(t.TypeUrl),
            Sync = t.Sync,
            SentVersion = t.SentVersion,
            SentNonce = t.SentNonce,
            AckedVersion = t.AckedVersion,
            NackError = t.NackedNonce == t.SentNonce ? t.NackError : "",
            Subscribed = t.Subscribed,
            SentAt = t.SentAt is { } sent ? Timestamp.FromDateTimeOffset(sent) : null,
            AckedAt = t.AckedAt is { } acked ? Timestamp.FromDateTimeOffset(acked) : null,
        }));
        return entry;
    }
}
