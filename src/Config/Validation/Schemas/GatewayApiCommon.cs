using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>The Gateway API's shared types (gateway.networking.k8s.io <c>shared_types.go</c>, <c>object_reference_types.go</c>)
/// with the limits and patterns its CRDs put on them.</summary>
internal static partial class GatewayApiCommon
{
    public const string Group = "gateway.networking.k8s.io";

    [GeneratedRegex(@"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex HostnamePattern();

    [GeneratedRegex(@"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex GroupPattern();

    [GeneratedRegex(@"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")]
    private static partial Regex KindPattern();

    [GeneratedRegex(@"^([0-9]{1,5}(h|m|s|ms)){1,4}$")]
    private static partial Regex DurationPattern();

    /// <summary><c>Hostname</c>: lower-case RFC 1123 with one optional left-most <c>*.</c> label; no IP address.</summary>
    public static StringSchema Hostname { get; } = Matching(h => HostnameRule(h, wildcard: true));

    /// <summary><c>PreciseHostname</c> (redirects, rewrites): as <see cref="Hostname"/>, without a wildcard.</summary>
    public static StringSchema PreciseHostname { get; } = Matching(h => HostnameRule(h, wildcard: false));

    public static StringSchema ObjectName { get; } = Matching(n => Length(n, 1, 253));

    public static StringSchema SectionName { get; } = Matching(Names.Subdomain);

    public static StringSchema Namespace { get; } = Matching(Names.Label);

    public static StringSchema GroupName { get; } = Matching(g =>
        g.Length > 253 ? $"\"{Names.Short(g)}\" is longer than 253 characters"
        : GroupPattern().IsMatch(g) ? null : $"\"{Names.Short(g)}\" is not an API group (a DNS subdomain, or \"\" for the core group)");

    public static StringSchema KindName { get; } = Matching(k =>
        Length(k, 1, 63) ?? (KindPattern().IsMatch(k) ? null : $"\"{Names.Short(k)}\" is not a kind (letters, digits and '-', starting with a letter)"));

    /// <summary>The Gateway API's <c>Duration</c> (GEP-2257): 1 to 4 parts of up to 5 digits and h, m, s or ms; no fractions.</summary>
    public static StringSchema Duration { get; } = Matching(d =>
        DurationPattern().IsMatch(d) ? null : $"\"{Names.Short(d)}\" is not a Gateway API duration (like \"10s\", \"1h30m\", \"500ms\": whole numbers with h, m, s or ms)");

    public static StringSchema HeaderName { get; } = Matching(Http.HeaderName);

    /// <summary><c>ParentReference</c>: a Gateway (by default) a route attaches to, optionally one listener of it.</summary>
    public static ObjectSchema ParentRef { get; } = Obj(
            ("group", GroupName), ("kind", KindName), ("namespace", Namespace), ("name", ObjectName),
            ("sectionName", SectionName), ("port", Common.Port))
        .Require("name");

    /// <summary>A route's <c>parentRefs</c>, with the CRD's rules for several references to one parent.</summary>
    public static ListSchema ParentRefs { get; } = MaxItems(List(ParentRef), 32).Rule(CheckParentRefs);

    /// <summary><c>BackendObjectReference</c>: a Service (by default) and its port.</summary>
    public static ObjectSchema BackendObjectRef { get; } = Obj(
            ("group", GroupName), ("kind", KindName), ("name", ObjectName), ("namespace", Namespace), ("port", Common.Port))
        .Require("name")
        .Rule((reference, path, problems) =>
        {
            var group = FieldPath.IsString(reference["group"], out var g) ? g : "";
            var kind = FieldPath.IsString(reference["kind"], out var k) ? k : "Service";
            if (group == "" && kind == "Service" && reference["port"] is null) problems.Error(FieldPath.Field(path, "port"), "required for a Service reference");
        });

    /// <summary><c>SecretObjectReference</c>: a Secret (by default).</summary>
    public static ObjectSchema SecretObjectRef { get; } = Obj(("group", GroupName), ("kind", KindName), ("name", ObjectName), ("namespace", Namespace))
        .Require("name");

    /// <summary>A Kubernetes <c>LabelSelector</c>.</summary>
    public static ObjectSchema LabelSelector { get; } = Obj(
        ("matchLabels", Common.Labels),
        ("matchExpressions", List(Obj(
                ("key", Matching(Names.LabelKey)), ("operator", Enum("In", "NotIn", "Exists", "DoesNotExist")), ("values", List(Matching(Names.LabelValue))))
            .Require("key", "operator"))));

    /// <summary>A list of at most <paramref name="max"/> items, as the CRD's <c>maxItems</c>.</summary>
    public static ListSchema MaxItems(ListSchema list, int max) => list.Rule((items, path, problems) =>
    {
        if (items.Count > max) problems.Error(path, $"has {items.Count} items; at most {max} are allowed");
    });

    /// <summary>A field the API has and Mesh does not implement: refused with the reason, never ignored.</summary>
    public static FieldSchema NotImplemented(string reason) => new RefusedSchema(reason);

    public static string? Length(string text, int min, int max)
        => text.Length < min ? (min == 1 ? "must not be empty" : $"must be at least {min} characters")
        : text.Length > max ? $"\"{Names.Short(text)}\" is longer than {max} characters" : null;

    private static string? HostnameRule(string host, bool wildcard)
    {
        if (Length(host, 1, 253) is { } length) return length;
        if (Hosts.IsIp(host)) return $"\"{Names.Short(host)}\" is an IP address; a hostname is required";
        if (!HostnamePattern().IsMatch(host))
        {
            return $"\"{Names.Short(host)}\" is not a hostname (lower-case RFC 1123 labels, with at most one left-most \"*.\" wildcard label)";
        }
        return !wildcard && host.StartsWith('*') ? $"\"{Names.Short(host)}\" must not be a wildcard here" : null;
    }

    private static void CheckParentRefs(JsonArray refs, string path, Problems problems)
    {
        var byParent = refs.OfType<JsonObject>().Select((r, i) => (Ref: r, Index: i))
            .GroupBy(x => $"{StringOr(x.Ref, "group", Group)}/{StringOr(x.Ref, "kind", "Gateway")}/{StringOr(x.Ref, "namespace", "")}/{StringOr(x.Ref, "name", "")}");
        foreach (var parent in byParent.Where(g => g.Count() > 1))
        {
            var sections = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (reference, index) in parent)
            {
                if (reference["sectionName"] is null && reference["port"] is null)
                {
                    problems.Error(FieldPath.Index(path, index), "sectionName or port must be set when parentRefs names the same parent more than once");
                }
                else if (!sections.Add($"{StringOr(reference, "sectionName", "")}:{reference["port"]?.ToJsonString()}"))
                {
                    problems.Error(FieldPath.Index(path, index), "sectionName and port must be unique when parentRefs names the same parent more than once");
                }
            }
        }
    }

    public static string StringOr(JsonObject obj, string field, string fallback) => FieldPath.IsString(obj[field], out var s) ? s : fallback;

    private sealed class RefusedSchema(string reason) : FieldSchema
    {
        public override string Expected => "nothing";

        public override void Check(JsonNode? node, string path, Problems problems) => problems.Error(path, reason);
    }
}
