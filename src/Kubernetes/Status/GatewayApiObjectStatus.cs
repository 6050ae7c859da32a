using System.Text.Json.Nodes;
using Mesh.Config.GatewayApi;
using Mesh.Config.Kinds;
using Mesh.Config.Views;
using Condition = Mesh.Config.GatewayApi.Condition;

namespace Mesh.Kubernetes.Status;

/// <summary>The <c>status</c> Mesh writes on a Gateway API object read from Kubernetes: the Gateway API's own shape
/// (<c>parents[]</c> of a route, <c>conditions</c> and <c>listeners</c> of a Gateway, <c>conditions</c> of a
/// GatewayClass), not Istio's <see cref="ObjectStatus"/>. The Gateway API grain computes it and stores it on the config
/// grain; this copies it over, with <c>observedGeneration</c> turned from the config grain's generation into the
/// Kubernetes object's <c>metadata.generation</c>. An object Mesh's validation refused gets <c>Accepted</c> False with
/// the field paths, where Mesh is known to answer for it (see <see cref="Claimants"/>).</summary>
public static class GatewayApiObjectStatus
{
    /// <summary>The reason of a route's <c>Accepted</c> False for a refused spec (the API's reason for a value the
    /// implementation does not take).</summary>
    public const string RouteInvalid = "UnsupportedValue";
    /// <summary>The reason of a Gateway's or GatewayClass's <c>Accepted</c> (and a Gateway's <c>Programmed</c>) False
    /// for a refused spec.</summary>
    public const string Invalid = "Invalid";

    /// <summary>Whether this document is the status of <paramref name="kind"/>: the Gateway API kinds that have a status
    /// (a ReferenceGrant has none).</summary>
    public static bool Describes(ResourceKind kind) =>
        kind == ResourceKinds.GatewayClass || kind == ResourceKinds.GatewayApiGateway || IsRoute(kind);

    /// <param name="stored">The config grain's generation and the Gateway API grain's status for it (null: none, as
    /// for an object of another implementation's class).</param>
    /// <param name="kubernetesObject">The object as the API server holds it: its spec (the parentRefs of a refused
    /// route) and the status there now (other controllers' route parents are kept; unchanged conditions keep their
    /// <c>lastTransitionTime</c>).</param>
    /// <returns>The status to write; null when there is nothing to write yet: not Mesh's, or the grain's status is of
    /// an earlier generation than the one stored (the Gateway API grain has not converged).</returns>
    /// <param name="claimed">For a refused object: those of its <see cref="Claimants"/> that have a status of Mesh's
    /// (the caller asks the grains); Mesh answers for a refused Gateway or route through them.</param>
    public static JsonObject? Build(SourcedObject sourced, GatewayApiStored? stored, JsonObject kubernetesObject, DateTimeOffset now,
        IReadOnlySet<(ResourceKind Kind, string Namespace, string Name)>? claimed = null)
    {
        var previous = kubernetesObject["status"] as JsonObject;
        var mine = sourced.Accepted ? Copied(sourced, stored) : Refused(sourced, stored, kubernetesObject, previous, now, claimed ?? new HashSet<(ResourceKind, string, string)>());
        if (mine is null || !IsRoute(sourced.Kind)) return mine;
        // Other implementations write their own parents of the same route: theirs stay as they are.
        var (ours, others) = Parents(previous);
        if (((JsonArray)mine["parents"]!).Count == 0 && ours.Count == 0) return null;
        mine["parents"] = new JsonArray([.. ((JsonArray)mine["parents"]!).Select(p => p!.DeepClone()), .. others.Select(p => p.DeepClone())]);
        return mine;
    }

    private static (List<JsonObject> Ours, List<JsonObject> Others) Parents(JsonObject? status)
    {
        var all = (status?["parents"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var ours = all.Where(p => p["controllerName"]?.GetValue<string>() == GatewayApiNames.ControllerName).ToList();
        return (ours, [.. all.Except(ours)]);
    }

    private static JsonObject? Copied(SourcedObject sourced, GatewayApiStored? stored)
    {
        if (stored?.Status is not { } status || !Generations(status).All(g => g == stored.Generation)) return null;
        var copy = status.DeepClone().AsObject();
        foreach (var node in Nodes(copy).Where(n => n.ContainsKey("observedGeneration")).ToList()) node["observedGeneration"] = sourced.Generation;
        if (IsRoute(sourced.Kind)) copy["parents"] ??= new JsonArray();
        return copy;
    }

    /// <summary>The objects whose having a status of Mesh's makes Mesh answer for a refused object: a Gateway's
    /// GatewayClass, a route's parent Gateways (each parent for itself). The Gateway API grain gives a status only to
    /// the classes that name Mesh's controller and to their Gateways, so this asks the grain rather than judging the
    /// class again; it holds even when no generation of the refused object was ever accepted.</summary>
    public static IEnumerable<(ResourceKind Kind, string Namespace, string Name)> Claimants(ResourceKind kind, string @namespace, JsonNode? spec)
    {
        if (kind == ResourceKinds.GatewayApiGateway)
        {
            return spec.Str("gatewayClassName") is { } className ? [(ResourceKinds.GatewayClass, ResourceKinds.GatewayClass.StoredNamespace(""), className)] : [];
        }
        return IsRoute(kind) ? spec.Objects("parentRefs").Select(p => ParentGateway(p, @namespace)).OfType<(ResourceKind, string, string)>() : [];
    }

    /// <summary>The Gateway a route's parentRef names; null for another kind of parent.</summary>
    private static (ResourceKind Kind, string Namespace, string Name)? ParentGateway(JsonObject parentRef, string routeNamespace) =>
        (parentRef.Str("group") ?? GatewayApiNames.Group) == GatewayApiNames.Group && (parentRef.Str("kind") ?? "Gateway") == "Gateway" && parentRef.Str("name") is { } name
            ? (ResourceKinds.GatewayApiGateway, parentRef.Str("namespace") ?? routeNamespace, name)
            : null;

    /// <summary>Mesh answers for a refused GatewayClass that names Mesh's controller or had a status of Mesh's, for a
    /// refused Gateway of Mesh's class or that had a status of Mesh's, and for a refused route under each of its parent
    /// Gateways that is Mesh's (<paramref name="claimed"/>).</summary>
    private static JsonObject? Refused(SourcedObject sourced, GatewayApiStored? stored, JsonObject kubernetesObject, JsonObject? previous, DateTimeOffset now,
        IReadOnlySet<(ResourceKind Kind, string Namespace, string Name)> claimed)
    {
        var spec = kubernetesObject["spec"];
        var message = $"refused by Mesh's validation: {string.Join("; ", sourced.Problems)}; the last accepted generation is served";
        if (!IsRoute(sourced.Kind))
        {
            var ours = stored?.Status is not null || claimed.Count > 0
                || (sourced.Kind == ResourceKinds.GatewayClass && spec.Str("controllerName") == GatewayApiNames.ControllerName);
            if (!ours) return null;
            List<Condition> conditions = [new("Accepted", false, Invalid, message)];
            if (sourced.Kind == ResourceKinds.GatewayApiGateway) conditions.Add(new("Programmed", false, Invalid, message));
            return new JsonObject
            {
                ["conditions"] = Condition.ToJson(conditions, sourced.Generation, now, previous?["conditions"] as JsonArray),
            };
        }
        var previousParents = Parents(previous).Ours;
        return new JsonObject
        {
            ["parents"] = new JsonArray([.. spec.Objects("parentRefs")
                .Where(parentRef => ParentGateway(parentRef, sourced.Namespace) is { } gateway && claimed.Contains(gateway))
                .Select(parentRef => (JsonNode)new JsonObject
            {
                ["parentRef"] = parentRef.DeepClone(),
                ["controllerName"] = GatewayApiNames.ControllerName,
                ["conditions"] = Condition.ToJson([new Condition("Accepted", false, RouteInvalid, message)], sourced.Generation, now,
                    previousParents.FirstOrDefault(p => JsonNode.DeepEquals(p["parentRef"], parentRef))?["conditions"] as JsonArray),
            })]),
        };
    }

    private static bool IsRoute(ResourceKind kind) => kind == ResourceKinds.HttpRoute || kind == ResourceKinds.GrpcRoute;

    private static IEnumerable<long> Generations(JsonObject status) =>
        Nodes(status).Select(n => n["observedGeneration"]).OfType<JsonValue>().Select(v => v.GetValue<long>());

    /// <summary>Every object in <paramref name="node"/>, itself included.</summary>
    private static IEnumerable<JsonObject> Nodes(JsonNode? node) => node switch
    {
        JsonObject o => [o, .. o.Select(p => p.Value).SelectMany(Nodes)],
        JsonArray a => a.SelectMany(Nodes),
        _ => [],
    };
}

/// <summary>What the config grain holds of a Gateway API object: its generation, and the status the Gateway API grain
/// computed (null: none).</summary>
public sealed record GatewayApiStored(long Generation, JsonObject? Status);
