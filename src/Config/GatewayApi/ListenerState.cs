using System.Text.Json.Nodes;
using Mesh.Config.Views;
using Mesh.Config.Views.Gateways;

namespace Mesh.Config.GatewayApi;

/// <summary>One listener of a Gateway as Mesh reads it: what it serves, the route kinds it takes, the credential its
/// TLS uses, and its conditions. Only a <see cref="Valid"/> listener is served and takes routes.</summary>
public sealed record ListenerState(
    string Name, int Port, string Protocol, string? Hostname, string? TlsMode, string? CredentialName,
    JsonObject? AllowedRoutes, IReadOnlyList<string> SupportedKinds, IReadOnlyList<Condition> Conditions)
{
    public bool Valid => Conditions.All(c => c.Type == "Conflicted" ? !c.Status : c.Status);

    /// <summary>The Istio server this listener stands for, or null for one Mesh does not serve.</summary>
    public GatewayServer? ToServer() => !Valid ? null : new GatewayServer(
        new GatewayPort(Port, Protocol, Name, 0),
        [Hostname ?? "*"],
        TlsMode switch
        {
            "Terminate" => new ServerTlsSettings("SIMPLE", false, CredentialName, [], null, null, null, []),
            "Passthrough" => new ServerTlsSettings("PASSTHROUGH", false, null, [], null, null, null, []),
            _ => null,
        },
        null,
        Name);

    /// <summary>Reads a Gateway's listeners and checks what the CRD cannot: protocols Mesh serves, route kinds,
    /// certificate references (kind, existence, ReferenceGrant), and port conflicts between listeners.</summary>
    public static IReadOnlyList<ListenerState> Read(GatewayApiObject gateway, GatewayApiInput input, ReferenceGrants grants)
    {
        var listeners = gateway.Spec.Objects("listeners").ToList();
        var protocolsByPort = listeners.GroupBy(l => l.Long("port") ?? 0).ToDictionary(g => g.Key, g => g.Select(l => l.Str("protocol")).Distinct().Count());
        return [.. listeners.Select(l => Read(l, gateway, input, grants, protocolsByPort[l.Long("port") ?? 0] > 1))];
    }

    private static ListenerState Read(JsonObject listener, GatewayApiObject gateway, GatewayApiInput input, ReferenceGrants grants, bool conflicted)
    {
        var protocol = listener.Str("protocol") ?? "";
        var tls = listener.Obj("tls");
        var mode = tls is null ? null : tls.Str("mode") ?? "Terminate";
        var conditions = new List<Condition>();
        var (kinds, invalidKinds) = RouteKinds(protocol, mode, listener.Obj("allowedRoutes"));
        var supported = protocol is "HTTP" or "HTTPS" || (protocol == "TLS" && mode == "Passthrough");
        conditions.Add(supported
            ? new Condition("Accepted", true, "Accepted")
            : new Condition("Accepted", false, "UnsupportedProtocol", $"Mesh serves HTTP, HTTPS and TLS Passthrough listeners, not {protocol}{(mode is null ? "" : $" {mode}")}"));
        var (credential, certificate) = mode == "Terminate" ? Certificate(tls!, gateway, input, grants) : (null, null);
        conditions.Add(certificate ?? (invalidKinds.Count > 0
            ? new Condition("ResolvedRefs", false, "InvalidRouteKinds", $"route kinds Mesh does not serve here: {string.Join(", ", invalidKinds)}")
            : new Condition("ResolvedRefs", true, "ResolvedRefs")));
        conditions.Add(conflicted
            ? new Condition("Conflicted", true, "ProtocolConflict", "another listener serves a different protocol on this port")
            : new Condition("Conflicted", false, "NoConflicts"));
        var valid = conditions.All(c => c.Type == "Conflicted" ? !c.Status : c.Status);
        conditions.Add(valid ? new Condition("Programmed", true, "Programmed") : new Condition("Programmed", false, "Invalid", "the listener is not valid"));
        return new ListenerState(listener.Str("name") ?? "", (int)(listener.Long("port") ?? 0), protocol, listener.Str("hostname"), mode, credential,
            listener.Obj("allowedRoutes"), kinds, conditions);
    }

    private static (IReadOnlyList<string> Kinds, IReadOnlyList<string> Invalid) RouteKinds(string protocol, string? mode, JsonObject? allowedRoutes)
    {
        string[] served = protocol is "HTTP" or "HTTPS" ? ["HTTPRoute", "GRPCRoute"] : [];
        var listed = allowedRoutes.Objects("kinds").ToList();
        if (listed.Count == 0) return (served, []);
        var valid = listed.Where(k => (k.Str("group") ?? GatewayApiNames.Group) == GatewayApiNames.Group && served.Contains(k.Str("kind"))).Select(k => k.Str("kind")!);
        var invalid = listed.Where(k => !((k.Str("group") ?? GatewayApiNames.Group) == GatewayApiNames.Group && served.Contains(k.Str("kind")))).Select(k => k.Str("kind") ?? "");
        return ([.. valid.Distinct()], [.. invalid]);
    }

    /// <summary>The credential of the first certificate reference (the one Mesh serves), or the condition saying why it
    /// does not resolve.</summary>
    private static (string? Credential, Condition? Problem) Certificate(JsonObject tls, GatewayApiObject gateway, GatewayApiInput input, ReferenceGrants grants)
    {
        foreach (var reference in tls.Objects("certificateRefs"))
        {
            var (group, kind, name) = (reference.Str("group") ?? "", reference.Str("kind") ?? "Secret", reference.Str("name") ?? "");
            var ns = reference.Str("namespace") ?? gateway.Namespace;
            if (group != "" || kind != "Secret") return (null, new Condition("ResolvedRefs", false, "InvalidCertificateRef", $"{kind} is not a Secret"));
            if (!grants.Permit("Gateway", gateway.Namespace, "", "Secret", ns, name))
            {
                return (null, new Condition("ResolvedRefs", false, "RefNotPermitted", $"no ReferenceGrant in {ns} lets Gateways of {gateway.Namespace} use Secret {name}"));
            }
            if (!input.Secrets.Contains(GatewayApiInput.SecretKey(ns, name)))
            {
                return (null, new Condition("ResolvedRefs", false, "InvalidCertificateRef", $"Secret {ns}/{name} does not exist"));
            }
        }
        var first = tls.Objects("certificateRefs").First();
        var secretNamespace = first.Str("namespace") ?? gateway.Namespace;
        return (GatewayApiNames.CredentialName(gateway.Namespace, secretNamespace, first.Str("name") ?? ""), null);
    }
}
