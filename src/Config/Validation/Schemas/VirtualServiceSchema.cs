using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>networking.istio.io VirtualService: HTTP, TLS and TCP routing for a set of hosts.</summary>
internal static class VirtualServiceSchema
{
    private static readonly ListSchema GatewayNames = List(Matching(Gateway));

    private static readonly ObjectSchema HttpMatch = Obj(
        ("name", Str),
        ("uri", Common.StringMatch),
        ("scheme", Common.StringMatch),
        ("method", Common.StringMatch),
        ("authority", Common.StringMatch),
        ("headers", Map(Common.StringMatch, Http.MatchHeaderName)),
        ("port", Common.Port),
        ("sourceLabels", Common.Labels),
        ("gateways", GatewayNames),
        ("queryParams", Map(Common.StringMatch)),
        ("ignoreUriCase", Bool),
        ("withoutHeaders", Map(Common.StringMatch, Http.MatchHeaderName)),
        ("sourceNamespace", Common.Label),
        ("statPrefix", Str));

    private static readonly ObjectSchema HttpRouteDestination = Obj(
            ("destination", Routing.Destination), ("weight", Int(0, 100)), ("headers", Routing.Headers))
        .Require("destination");

    // What a redirect or a rewrite writes ends up in the Location header or the request line and Host header.
    private static readonly StringSchema UriPart = Matching(u => Http.NoControls(u, "uri"));
    private static readonly StringSchema Authority = Matching(Http.Authority);

    private static readonly ObjectSchema Redirect = Obj(
            ("uri", UriPart), ("authority", Authority), ("port", Common.Port),
            ("derivePort", Enum("FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT")),
            ("scheme", Enum("http", "https")), ("redirectCode", Int(300, 399)))
        .AtMostOne("port", "derivePort");

    private static readonly ObjectSchema DirectResponse = Obj(
            ("status", Int(200, 599)),
            ("body", Obj(("string", Str), ("bytes", Matching(Base64))).AtMostOne("string", "bytes")))
        .Require("status");

    private static readonly ObjectSchema Rewrite = Obj(
            ("uri", UriPart), ("authority", Authority),
            ("uriRegexRewrite", Obj(("match", Common.Regex), ("rewrite", UriPart)).Require("match", "rewrite")))
        .AtMostOne("uri", "uriRegexRewrite");

    private static readonly ObjectSchema Retries = Obj(
        ("attempts", Int(0)),
        ("perTryTimeout", Common.PositiveDuration),
        ("retryOn", Matching(Http.RetryConditions)),
        ("retryRemoteLocalities", Bool),
        ("retryIgnorePreviousHosts", Bool),
        ("backoff", Common.PositiveDuration));

    private static readonly ObjectSchema Fault = Obj(
            ("delay", Obj(
                    ("fixedDelay", Common.PositiveDuration),
                    ("exponentialDelay", Common.PositiveDuration),
                    ("percentage", Common.Percent),
                    ("percent", Int(0, 100)))
                .ExactlyOne("fixedDelay", "exponentialDelay")
                .AtMostOne("percentage", "percent")),
            ("abort", Obj(
                    ("httpStatus", Int(200, 599)),
                    ("grpcStatus", Str),
                    ("http2Error", Str),
                    ("percentage", Common.Percent))
                .ExactlyOne("httpStatus", "grpcStatus", "http2Error")))
        .Rule((fault, path, problems) =>
        {
            if (fault["delay"] is null && fault["abort"] is null) problems.Error(path, "a fault needs a delay or an abort");
        });

    private static readonly ObjectSchema Mirror = Obj(("destination", Routing.Destination), ("percentage", Common.Percent))
        .Require("destination");

    private static readonly ObjectSchema Cors = Obj(
        ("allowOrigins", List(Common.StringMatch)),
        ("allowOrigin", List(Matching(o => Http.NoControls(o, "origin")))),
        ("allowMethods", List(Matching(Http.CorsMethod))),
        ("allowHeaders", List(Matching(Http.CorsHeaderName))),
        ("exposeHeaders", List(Matching(Http.CorsHeaderName))),
        ("maxAge", Common.WholeSeconds),
        ("allowCredentials", Bool),
        ("unmatchedPreflights", Enum("UNSPECIFIED", "FORWARD", "IGNORE")));

    private static readonly ObjectSchema HttpRoute = Obj(
            ("name", Str),
            ("match", List(HttpMatch)),
            ("route", Routing.WeightedRoute(HttpRouteDestination)),
            ("redirect", Redirect),
            ("directResponse", DirectResponse),
            ("delegate", Obj(("name", Common.Label), ("namespace", Common.Label)).Require("name")),
            ("rewrite", Rewrite),
            ("timeout", Common.PositiveDuration),
            ("retries", Retries),
            ("fault", Fault),
            ("mirror", Routing.Destination),
            ("mirrors", List(Mirror)),
            ("mirrorPercentage", Common.Percent),
            ("mirrorPercent", Int(0, 100)),
            ("corsPolicy", Cors),
            ("headers", Routing.Headers))
        .Rule(CheckHttpRoute);

    private static readonly ObjectSchema RouteDestination = Obj(("destination", Routing.Destination), ("weight", Int(0, 100)))
        .Require("destination");

    private static readonly ObjectSchema TlsMatch = Obj(
            ("sniHosts", List(Common.Host).NonEmpty()),
            ("destinationSubnets", List(Common.IpOrCidr)),
            ("port", Common.Port),
            ("sourceLabels", Common.Labels),
            ("gateways", GatewayNames),
            ("sourceNamespace", Common.Label))
        .Require("sniHosts");

    private static readonly ObjectSchema L4Match = Obj(
        ("destinationSubnets", List(Common.IpOrCidr)),
        ("port", Common.Port),
        ("sourceLabels", Common.Labels),
        ("gateways", GatewayNames),
        ("sourceNamespace", Common.Label));

    public static ObjectSchema Spec { get; } = Obj(
            ("hosts", List(Matching(h => Hosts.Wildcard(h, allowIp: true))).Unique(what: "host")),
            ("gateways", GatewayNames),
            ("http", List(HttpRoute)),
            ("tls", List(Obj(("match", List(TlsMatch).NonEmpty()), ("route", Routing.WeightedRoute(RouteDestination).NonEmpty()))
                .Require("match", "route"))),
            ("tcp", List(Obj(("match", List(L4Match)), ("route", Routing.WeightedRoute(RouteDestination).NonEmpty()))
                .Require("route"))),
            ("exportTo", Common.ExportTo))
        .Rule(CheckSpec);

    private static void CheckSpec(JsonObject spec, string path, Problems problems)
    {
        var hosts = spec["hosts"] as JsonArray;
        var gateways = (spec["gateways"] as JsonArray)?.Select(g => FieldPath.IsString(g, out var s) ? s : "").ToList() ?? [];
        if (hosts is null || hosts.Count == 0)
        {
            // Without hosts a VirtualService can only be a delegate, which the root VirtualService binds to gateways.
            if (gateways.Count > 0) problems.Error(FieldPath.Field(path, "gateways"), "a delegate VirtualService (one without hosts) must not set gateways");
        }
        else
        {
            var appliesToMesh = gateways.Count == 0 || gateways.Contains("mesh");
            for (var i = 0; i < hosts.Count; i++)
            {
                if (appliesToMesh && FieldPath.IsString(hosts[i], out var host) && host == "*")
                {
                    problems.Error(FieldPath.Index(FieldPath.Field(path, "hosts"), i), "the wildcard host \"*\" is not allowed for a VirtualService bound to the mesh gateway");
                }
            }
        }
        if (hosts is { Count: > 0 }) CheckSniHosts(spec, hosts, path, problems);
        if (spec["http"] is null && spec["tls"] is null && spec["tcp"] is null)
        {
            problems.Error(path, "a VirtualService needs at least one of http, tls or tcp routes");
        }
    }

    /// <summary>Istio: a TLS route's SNI names must be among the VirtualService's hosts (a wildcard host covers its names).</summary>
    private static void CheckSniHosts(JsonObject spec, JsonArray hosts, string path, Problems problems)
    {
        var names = hosts.Select(h => FieldPath.IsString(h, out var s) ? s : "").Where(h => h.Length > 0).ToList();
        var routes = spec["tls"] as JsonArray ?? [];
        for (var i = 0; i < routes.Count; i++)
        {
            var matches = routes[i]?["match"] as JsonArray ?? [];
            for (var j = 0; j < matches.Count; j++)
            {
                var sniHosts = matches[j]?["sniHosts"] as JsonArray ?? [];
                for (var k = 0; k < sniHosts.Count; k++)
                {
                    if (!FieldPath.IsString(sniHosts[k], out var sni) || names.Any(host => HostNames.Matches(host, sni))) continue;
                    problems.Error(FieldPath.Index(FieldPath.Field(FieldPath.Index(FieldPath.Field(FieldPath.Index(FieldPath.Field(path, "tls"), i), "match"), j), "sniHosts"), k),
                        $"\"{Names.Short(sni)}\" is not among the VirtualService's hosts");
                }
            }
        }
    }

    private static void CheckHttpRoute(JsonObject route, string path, Problems problems)
    {
        bool Has(string field) => route[field] is not null;
        var actions = new[] { "route", "redirect", "directResponse", "delegate" }.Where(Has).ToList();
        if (actions.Count == 0) problems.Error(path, "an HTTP route needs one of route, redirect, directResponse or delegate");
        if (actions.Count > 1) problems.Error(path, $"an HTTP route may have only one of route, redirect, directResponse or delegate, got {string.Join(", ", actions)}");
        if (Has("rewrite") && Has("redirect")) problems.Error(path, "rewrite and redirect cannot be used together");
        if (Has("mirror") && Has("mirrors")) problems.Error(path, "mirror and mirrors cannot be used together");
        if (Has("mirrorPercentage") && Has("mirrorPercent")) problems.Error(path, "use mirrorPercentage, not both it and the deprecated mirrorPercent");
    }

    private static string? Gateway(string name)
    {
        if (name == "mesh") return null;
        var slash = name.IndexOf('/');
        if (slash >= 0)
        {
            return Names.Label(name[..slash]) is { } ns ? $"gateway namespace: {ns}"
                : Names.Subdomain(name[(slash + 1)..]) is { } gw ? $"gateway name: {gw}" : null;
        }
        return Names.Subdomain(name) is { } reason ? $"gateway: {reason}" : null;
    }

    private static string? Base64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out _) ? null : "bytes must be base64";
    }
}
