using Mesh.Config.Traffic;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>Types that several kinds share: ports, label selectors, string matches, durations, hosts.</summary>
internal static class Common
{
    public static IntegerSchema Port { get; } = Int(1, 65535);

    /// <summary>Istio's ValidateDuration: timeouts, delays and intervals of at least 1ms, in whole milliseconds, and no
    /// longer than Go's (and so Istio's) longest duration.</summary>
    public static StringSchema PositiveDuration { get; } = Matching(Durations.AtLeast(1, precisionMillis: 1));

    /// <summary>As <see cref="PositiveDuration"/>, or 0 where zero means "off" (a session cookie, no idle timeout).</summary>
    public static StringSchema DurationOrZero { get; } = Matching(Durations.AtLeast(1, precisionMillis: 1, allowZero: true));

    /// <summary>Istio's CORS maxAge: ValidateDuration, and "accurate only to seconds precision".</summary>
    public static StringSchema WholeSeconds { get; } = Matching(Durations.AtLeast(1, precisionMillis: 1000));

    public static StringSchema Regex { get; } = Matching(Re2.Check);

    /// <summary>A string that must not be empty, with the reason to give when it is.</summary>
    public static StringSchema NonEmpty(string reason) => Matching(v => v.Length == 0 ? reason : null);

    public static StringSchema Host { get; } = Matching(h => Hosts.Wildcard(h));

    public static StringSchema Label { get; } = Matching(Names.Label);

    public static StringSchema IpOrCidr { get; } = Matching(Hosts.IpOrCidr);

    public static MapSchema Labels { get; } = Map(Matching(Names.LabelValue), Names.LabelKey);

    public static NumberSchema PercentValue { get; } = Number(0, 100);

    /// <summary>Istio's <c>Percent</c>: <c>{value: 12.5}</c>.</summary>
    public static ObjectSchema Percent { get; } = Obj(("value", PercentValue));

    /// <summary><c>{exact | prefix | regex}</c>; an empty match means "present".</summary>
    public static ObjectSchema StringMatch { get; } = Obj(("exact", Str), ("prefix", Str), ("regex", Regex)).AtMostOne("exact", "prefix", "regex");

    /// <summary>networking's WorkloadSelector: <c>{labels: {...}}</c>.</summary>
    public static ObjectSchema WorkloadSelector { get; } = Obj(("labels", Labels));

    /// <summary>security's WorkloadSelector: <c>{matchLabels: {...}}</c>.</summary>
    public static ObjectSchema MatchLabelsSelector { get; } = Obj(("matchLabels", Labels));

    public static ObjectSchema PortSelector { get; } = Obj(("number", Port));

    public static ListSchema ExportTo { get; } = List(Matching(ns => ns is "." or "*" or "~" ? null : Names.Label(ns)))
        .Unique(what: "namespace")
        .Rule((list, path, problems) =>
        {
            if (list.Count > 1 && list.Any(n => FieldPath.IsString(n, out var s) && s == "*"))
            {
                problems.Error(path, "\"*\" exports to every namespace and cannot be combined with other entries");
            }
        });

    /// <summary>PolicyTargetReference: the Gateway, Service or ServiceEntry a policy attaches to.</summary>
    public static ObjectSchema TargetRef { get; } = Obj(
            ("group", Str), ("kind", Enum("Gateway", "GatewayClass", "Service", "ServiceEntry")), ("name", Str), ("namespace", Label))
        .Require("kind", "name");

    public static StringSchema Protocol { get; } = Matching(p =>
        Protocols.Parse(p) is not null
            ? null
            : $"\"{Names.Short(p)}\" is not a protocol Istio knows (HTTP, HTTPS, GRPC, HTTP2, MONGO, MYSQL, REDIS, TCP, TLS, UDP)");
}
