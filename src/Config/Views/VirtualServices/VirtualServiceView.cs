using System.Text.Json.Nodes;
using Mesh.Config.Validation.Rules;

namespace Mesh.Config.Views.VirtualServices;

/// <summary>A validated VirtualService, read once: its hosts, gateways and routes. Built from the spec the validator
/// accepted; the stored and transmitted form stays the JSON text.</summary>
public sealed record VirtualServiceView
{
    /// <summary>The gateway name that binds a VirtualService to every sidecar rather than to a gateway.</summary>
    public const string MeshGateway = "mesh";

    /// <summary>The hosts as written (short names, FQDNs, wildcards).</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];
    /// <summary>None listed means the mesh only, as in Istio.</summary>
    public IReadOnlyList<string> Gateways { get; init; } = [];
    public IReadOnlyList<HttpRoute> Http { get; init; } = [];
    public IReadOnlyList<L4Route> Tls { get; init; } = [];
    public IReadOnlyList<L4Route> Tcp { get; init; } = [];

    public bool AppliesToMesh => Gateways.Count == 0 || Gateways.Contains(MeshGateway);

    /// <summary>The gateways (other than the mesh) the VirtualService binds to, as <c>namespace/name</c>: a bare name
    /// is in the VirtualService's own <paramref name="namespace"/>.</summary>
    public IReadOnlyList<string> GatewayRefs(string @namespace)
        => [.. Gateways.Where(g => g != MeshGateway).Select(g => GatewayRef(g, @namespace)).Distinct(StringComparer.Ordinal)];

    /// <summary>A gateway name as a VirtualService (or a route match) writes it, in the namespace it is read in:
    /// <c>mesh</c> stays <c>mesh</c>, <c>name</c> becomes <c>namespace/name</c>.</summary>
    public static string GatewayRef(string gateway, string @namespace)
        => gateway == MeshGateway || gateway.Contains('/') ? gateway : $"{@namespace}/{gateway}";

    /// <summary>The hosts that name one service each, qualified in <paramref name="namespace"/>: wildcards and
    /// <c>*</c> are left out, since they name no single service grain.</summary>
    public IReadOnlyList<string> ServiceHosts(string @namespace)
        => [.. Hosts.Where(h => h.Length > 0 && !h.Contains('*')).Select(h => HostNames.Qualify(h, @namespace)).Distinct()];

    /// <summary>Every destination the routes send traffic to, with its field path: each HTTP route's destinations
    /// and mirrors, then the TLS and TCP routes' destinations.</summary>
    public IEnumerable<(string Path, Destination Destination)> Destinations()
    {
        for (var i = 0; i < Http.Count; i++)
        {
            var path = $"spec.http[{i}]";
            foreach (var routed in Routed(path, Http[i].Route ?? [])) yield return routed;
            if (Http[i].Mirror is { } mirror) yield return ($"{path}.mirror", mirror);
            for (var j = 0; j < Http[i].Mirrors.Count; j++) yield return ($"{path}.mirrors[{j}].destination", Http[i].Mirrors[j].Destination);
        }
        for (var i = 0; i < Tls.Count; i++)
        {
            foreach (var routed in Routed($"spec.tls[{i}]", Tls[i].Route)) yield return routed;
        }
        for (var i = 0; i < Tcp.Count; i++)
        {
            foreach (var routed in Routed($"spec.tcp[{i}]", Tcp[i].Route)) yield return routed;
        }
    }

    private static IEnumerable<(string Path, Destination Destination)> Routed(string path, IReadOnlyList<RouteDestination> route)
        => route.Select((r, j) => ($"{path}.route[{j}].destination", r.Destination));

    /// <summary>Reads a spec that passed validation.</summary>
    public static VirtualServiceView From(JsonObject spec) => new()
    {
        Hosts = spec.Strings("hosts"),
        Gateways = spec.Strings("gateways"),
        Http = [.. spec.Objects("http").Select(HttpRoute.From)],
        Tls = [.. spec.Objects("tls").Select(L4Route.From)],
        Tcp = [.. spec.Objects("tcp").Select(L4Route.From)],
    };
}

/// <summary>A TLS or TCP route: its matches and weighted destinations. Gateways route TLS by SNI (PASSTHROUGH
/// servers); sidecars do not translate L4 routes yet.</summary>
public sealed record L4Route(IReadOnlyList<L4Match> Match, IReadOnlyList<RouteDestination> Route)
{
    internal static L4Route From(JsonObject route) => new(
        [.. route.Objects("match").Select(L4Match.From)], [.. route.Objects("route").Select(RouteDestination.From)]);
}

/// <summary>Istio's <c>TLSMatchAttributes</c> (and the parts of <c>L4MatchAttributes</c> a gateway reads): the SNI
/// names (TLS only), the port, and the gateways the match is limited to (null: those of the VirtualService).</summary>
public sealed record L4Match(IReadOnlyList<string> SniHosts, int? Port, IReadOnlyList<string>? Gateways)
{
    internal static L4Match From(JsonObject match) => new(match.Strings("sniHosts"), (int?)match.Long("port"), match.StringsOrNull("gateways"));
}
