using System.Text.Json.Nodes;
using Condition = Mesh.Config.GatewayApi.Condition;
using Mesh.Config.Kinds;
using Mesh.Config.Validation;

namespace Mesh.Kubernetes.Status;

/// <summary>The <c>status</c> Mesh writes on a Kubernetes object of one of its kinds: Istio's <c>IstioStatus</c>
/// (<c>observedGeneration</c>, a <c>Reconciled</c> condition, <c>validationMessages</c> as Istio's analysis messages),
/// plus <c>fleet</c> (<see cref="FleetStatus"/>), which answers "did my change reach the proxies?":
/// <code>
/// status:
///   observedGeneration: 3
///   conditions:
///   - {type: Reconciled, status: "False", reason: Rejected, message: ..., observedGeneration: 3, lastTransitionTime: ...}
///   validationMessages:            # only when refused
///   - {type: {code: IST0106, name: SchemaValidationError}, level: ERROR, description: "spec.http[0].route: ..."}
///   fleet: {proxies: 4, running: 3, nacked: 1, nacks: [{proxy: NODE-ID, error: ..., time: ...}]}
/// </code></summary>
public static class ObjectStatus
{
    public const string Reconciled = "Reconciled";

    /// <summary>Reasons of the <see cref="Reconciled"/> condition.</summary>
    public static class Reasons
    {
        /// <summary>Stored and served; no proxy it reaches refused it.</summary>
        public const string Accepted = "Accepted";
        /// <summary>Refused by Mesh's validation: nothing of this generation is served (see validationMessages).</summary>
        public const string Invalid = "Invalid";
        /// <summary>Served, and refused by at least one proxy (see fleet.nacks); those keep their last good config.</summary>
        public const string Rejected = "Rejected";
    }

    /// <summary>Whether this document is the status of <paramref name="kind"/>: not for the Gateway API's kinds, whose
    /// status has the Gateway API's own shape (parents, listeners) and is computed by the Gateway API grain.</summary>
    public static bool Describes(ResourceKind kind) => kind.Group != ResourceKinds.HttpRoute.Group;

    /// <param name="fleet">Null for a refused object or a kind whose fleet is not traced.</param>
    /// <param name="previous">The object's current <c>status</c>, so that an unchanged condition keeps its
    /// <c>lastTransitionTime</c>.</param>
    public static JsonObject Build(SourcedObject sourced, FleetStatus? fleet, JsonObject? previous, DateTimeOffset now)
    {
        var condition = ReconciledCondition(sourced, fleet);
        var status = new JsonObject
        {
            ["observedGeneration"] = sourced.Generation,
            ["conditions"] = Condition.ToJson([condition], sourced.Generation, now, previous?["conditions"] as JsonArray),
        };
        if (!sourced.Accepted) status["validationMessages"] = new JsonArray([.. sourced.Problems.Select(p => (JsonNode)ValidationMessage(p))]);
        if (fleet is not null) status["fleet"] = fleet.ToJson();
        return status;
    }

    private static Condition ReconciledCondition(SourcedObject sourced, FleetStatus? fleet)
    {
        if (!sourced.Accepted)
        {
            return new(Reconciled, false, Reasons.Invalid,
                $"refused by Mesh's validation ({sourced.Problems.Count} error(s), see validationMessages); the proxies keep the last accepted generation");
        }
        if (fleet is { Nacks.Count: > 0 } rejected)
        {
            return new(Reconciled, false, Reasons.Rejected,
                $"{rejected.Nacks.Count} of {rejected.Reached} proxies refused it (see fleet.nacks) and keep their last good config");
        }
        return sourced.Kind == ResourceKinds.Sidecar
            ? new(Reconciled, true, Reasons.Accepted, "accepted and stored; Mesh does not apply Sidecar resources to proxies yet: its egress hosts, ingress listeners and outboundTrafficPolicy have no effect")
            : new(Reconciled, true, Reasons.Accepted, "accepted by the control plane and sent to the proxies it reaches");
    }

    /// <summary>Istio's <c>AnalysisMessageBase</c> for a schema error, IST0106, with the field path in the description.</summary>
    private static JsonObject ValidationMessage(FieldError problem) => new()
    {
        ["type"] = new JsonObject { ["code"] = "IST0106", ["name"] = "SchemaValidationError" },
        ["level"] = "ERROR",
        ["description"] = problem.ToString(),
    };
}
