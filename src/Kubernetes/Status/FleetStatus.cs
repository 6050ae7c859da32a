using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Status;

/// <summary>What Istio's status does not tell: how far one object has reached the fleet. Of the connected proxies
/// its scope reaches (<see cref="Reached"/>), <see cref="Running"/> ACKed a response sent after the object last
/// changed (of every type that carries it) (a proxy whose config the change did not alter gets no response, and so
/// stays counted as not yet running); <see cref="Nacks"/> are those whose last response of the type failed for an error about the object.</summary>
public sealed record FleetStatus(int Reached, int Running, IReadOnlyList<ProxyNack> Nacks)
{
    /// <summary>NACKs quoted in the status, so that a fleet-wide rejection keeps the object small; the count is whole.</summary>
    public const int QuotedNacks = 10;

    public static FleetStatus Of(FleetScope scope, IEnumerable<ProxySnapshot> proxies, DateTimeOffset changedAt)
    {
        int reached = 0, running = 0;
        var nacks = new List<ProxyNack>();
        foreach (var proxy in proxies)
        {
            if (scope.Reach(proxy) is not { } held) continue;
            reached++;
            if (held.FirstOrDefault(t => NackAttribution.Concerns(scope, t)) is { } nacked) nacks.Add(new ProxyNack(proxy.NodeId, nacked.NackError, nacked.NackedAt));
            // Of an object spread over several types (a ServiceEntry's clusters and endpoints), a change may alter
            // only some: running once every one is ACKed and one of them was sent after the change.
            else if (held.Count > 0 && held.All(t => t.Acked) && held.Any(t => t.SentAt >= changedAt)) running++;
        }
        return new FleetStatus(reached, running, [.. nacks.OrderBy(n => n.Proxy, StringComparer.Ordinal)]);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["proxies"] = Reached, ["running"] = Running, ["nacked"] = Nacks.Count };
        if (Nacks.Count > 0) json["nacks"] = new JsonArray([.. Nacks.Take(QuotedNacks).Select(n => (JsonNode)n.ToJson())]);
        return json;
    }
}

/// <summary>One proxy that refused the object's config, in its own words.</summary>
public sealed record ProxyNack(string Proxy, string Error, DateTimeOffset? At)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["proxy"] = Proxy, ["error"] = Error };
        if (At is { } at) json["time"] = StatusTime.Format(at);
        return json;
    }
}
