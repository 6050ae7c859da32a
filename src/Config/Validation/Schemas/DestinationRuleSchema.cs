using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>networking.istio.io DestinationRule: traffic policy and subsets for one host.</summary>
internal static class DestinationRuleSchema
{
    private static readonly ObjectSchema ConsistentHash = Obj(
            ("httpHeaderName", Matching(Http.HeaderName)),
            ("httpCookie", Obj(
                    ("name", Matching(Http.CookieName)), ("path", Matching(Http.CookieAttribute)), ("ttl", Common.DurationOrZero),
                    ("attributes", List(Obj(("name", Matching(Http.CookieName)), ("value", Matching(Http.CookieAttribute))).Require("name"))))
                .Require("name")),
            ("useSourceIp", Bool),
            ("httpQueryParameterName", Str),
            ("ringHash", Obj(("minimumRingSize", UInt))),
            ("maglev", Obj(("tableSize", UInt))),
            ("minimumRingSize", UInt))
        .ExactlyOne("httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName")
        .AtMostOne("ringHash", "maglev", "minimumRingSize");

    private static readonly ObjectSchema LocalityLb = Obj(
            ("distribute", List(Obj(("from", Str), ("to", Map(Int(0, 100)))).Require("from", "to").Rule(CheckDistributeWeights))),
            ("failover", List(Obj(("from", Str), ("to", Str)).Require("from", "to").Rule(CheckFailover))),
            ("failoverPriority", List(Str).Unique(what: "label")),
            ("enabled", Bool))
        .AtMostOne("distribute", "failover");

    private static readonly ObjectSchema LoadBalancer = Obj(
            ("simple", Enum("UNSPECIFIED", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST", "LEAST_CONN")),
            ("consistentHash", ConsistentHash),
            ("localityLbSetting", LocalityLb),
            ("warmupDurationSecs", Common.PositiveDuration),
            ("warmup", Obj(("duration", Common.PositiveDuration), ("minimumPercent", Common.PercentValue), ("aggression", Number(1, double.MaxValue)))
                .Require("duration")))
        .AtMostOne("simple", "consistentHash")
        .AtMostOne("warmupDurationSecs", "warmup");

    public static ObjectSchema ConnectionPool { get; } = Obj(
        ("tcp", Obj(
            ("maxConnections", Int(0)),
            ("connectTimeout", Common.PositiveDuration),
            ("tcpKeepalive", Obj(("probes", UInt), ("time", Common.PositiveDuration), ("interval", Common.PositiveDuration))),
            ("maxConnectionDuration", Common.PositiveDuration),
            ("idleTimeout", Common.DurationOrZero))),
        ("http", Obj(
            ("http1MaxPendingRequests", Int(0)),
            ("http2MaxRequests", Int(0)),
            ("maxRequestsPerConnection", Int(0)),
            ("maxRetries", Int(0)),
            ("idleTimeout", Common.PositiveDuration),
            ("h2UpgradePolicy", Enum("DEFAULT", "DO_NOT_UPGRADE", "UPGRADE")),
            ("useClientProtocol", Bool),
            ("maxConcurrentStreams", Int(0)))));

    private static readonly ObjectSchema OutlierDetection = Obj(
        ("splitExternalLocalOriginErrors", Bool),
        ("consecutiveLocalOriginFailures", UInt),
        ("consecutiveGatewayErrors", UInt),
        ("consecutive5xxErrors", UInt),
        ("consecutiveErrors", Int(0)),
        ("interval", Common.PositiveDuration),
        ("baseEjectionTime", Common.PositiveDuration),
        ("maxEjectionPercent", Int(0, 100)),
        ("minHealthPercent", Int(0, 100)));

    public static ObjectSchema ClientTls { get; } = Obj(
            ("mode", Enum("DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL")),
            ("clientCertificate", Str),
            ("privateKey", Str),
            ("caCertificates", Str),
            ("credentialName", Str),
            ("subjectAltNames", List(Str)),
            ("sni", Str),
            ("insecureSkipVerify", Bool),
            ("caCrl", Str))
        .Rule(CheckClientTls);

    private static readonly ObjectSchema PortTrafficPolicy = Obj(
            ("port", Common.PortSelector),
            ("loadBalancer", LoadBalancer),
            ("connectionPool", ConnectionPool),
            ("outlierDetection", OutlierDetection),
            ("tls", ClientTls))
        .Require("port");

    private static readonly ObjectSchema TrafficPolicy = Obj(
        ("loadBalancer", LoadBalancer),
        ("connectionPool", ConnectionPool),
        ("outlierDetection", OutlierDetection),
        ("tls", ClientTls),
        ("portLevelSettings", List(PortTrafficPolicy).Unique(p => FieldPath.Get(p, "port", "number")?.ToJsonString(), "port")),
        ("tunnel", Obj(("protocol", Enum("CONNECT", "POST")), ("targetHost", Matching(Hosts.Name)), ("targetPort", Common.Port)).Require("targetHost", "targetPort")),
        ("proxyProtocol", Obj(("version", Enum("V1", "V2")))));

    private static readonly ObjectSchema Subset = Obj(("name", Common.Label), ("labels", Common.Labels), ("trafficPolicy", TrafficPolicy))
        .Require("name");

    public static ObjectSchema Spec { get; } = Obj(
            ("host", Matching(h => Hosts.Wildcard(h))),
            ("trafficPolicy", TrafficPolicy),
            ("subsets", List(Subset).Unique(s => FieldPath.IsString(FieldPath.Get(s, "name"), out var n) ? n : null, "subset name")),
            ("exportTo", Common.ExportTo),
            ("workloadSelector", Common.WorkloadSelector))
        .Require("host");

    private static void CheckDistributeWeights(JsonObject distribute, string path, Problems problems)
    {
        if (distribute["to"] is not JsonObject to || to.Count == 0) return;
        long sum = 0;
        foreach (var (_, weight) in to)
        {
            if (weight is not JsonValue v || !v.TryGetValue<long>(out var w)) return;
            sum += w;
        }
        if (sum != 100) problems.Error(FieldPath.Field(path, "to"), $"locality weights sum to {sum}, must be 100");
    }

    private static void CheckFailover(JsonObject failover, string path, Problems problems)
    {
        if (FieldPath.IsString(failover["from"], out var from) && FieldPath.IsString(failover["to"], out var to) && from == to)
        {
            problems.Error(path, "failover \"from\" and \"to\" must be different regions");
        }
    }

    private static void CheckClientTls(JsonObject tls, string path, Problems problems)
    {
        var mode = FieldPath.IsString(tls["mode"], out var m) ? m : "";
        var hasFiles = tls["clientCertificate"] is not null || tls["privateKey"] is not null || tls["caCertificates"] is not null;
        if (mode == "ISTIO_MUTUAL" && (hasFiles || tls["credentialName"] is not null))
        {
            problems.Error(path, "ISTIO_MUTUAL uses the mesh's certificates: clientCertificate, privateKey, caCertificates and credentialName must not be set");
        }
        if (mode == "MUTUAL" && tls["credentialName"] is null)
        {
            if (tls["clientCertificate"] is null) problems.Error(FieldPath.Field(path, "clientCertificate"), "required when mode is MUTUAL (or set credentialName)");
            if (tls["privateKey"] is null) problems.Error(FieldPath.Field(path, "privateKey"), "required when mode is MUTUAL (or set credentialName)");
        }
    }
}
