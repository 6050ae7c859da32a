using System.Text.Json.Nodes;
using Mesh.Config.Selection;
using Mesh.Kubernetes.Fake.Resources;

namespace Mesh.Kubernetes.Fake.Admission;

/// <summary>Whether one webhook of a Mutating/ValidatingWebhookConfiguration applies to a request: its
/// <c>rules</c> (operations, groups, versions, resources with <c>/subresource</c> forms, scope), its
/// <c>namespaceSelector</c> and its <c>objectSelector</c>, as the API server decides it.</summary>
public static class WebhookRule
{
    public static bool Applies(JsonObject webhook, ResourceType type, string subresource, string operation,
        IReadOnlyDictionary<string, string> objectLabels, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        var rules = webhook["rules"] as JsonArray ?? [];
        if (!rules.OfType<JsonObject>().Any(r => RuleMatches(r, type, subresource, operation))) return false;
        if (namespaceLabels is not null && !Selector(webhook["namespaceSelector"]).Matches(namespaceLabels)) return false;
        return Selector(webhook["objectSelector"]).Matches(objectLabels);
    }

    private static bool RuleMatches(JsonObject rule, ResourceType type, string subresource, string operation)
    {
        var resource = subresource.Length == 0 ? type.Resource : $"{type.Resource}/{subresource}";
        var scope = rule["scope"]?.GetValue<string>() ?? "*";
        return Contains(rule["operations"], operation)
            && Contains(rule["apiGroups"], type.Group)
            && Contains(rule["apiVersions"], type.Version)
            && Strings(rule["resources"]).Any(r => ResourceMatches(r, resource, subresource))
            && (scope == "*" || scope == (type.Namespaced ? "Namespaced" : "Cluster"));
    }

    /// <summary><c>pods</c> is the main resource only, <c>pods/*</c> and <c>*/*</c> include subresources, <c>*/status</c> any status.</summary>
    private static bool ResourceMatches(string pattern, string resource, string subresource)
    {
        if (pattern == "*/*") return true;
        if (pattern == "*") return subresource.Length == 0;
        var parts = pattern.Split('/', 2);
        var names = resource.Split('/', 2);
        return (parts[0] == "*" || parts[0] == names[0])
            && (parts.Length == 1 ? subresource.Length == 0 : parts[1] == "*" || parts[1] == subresource);
    }

    private static bool Contains(JsonNode? list, string value) => Strings(list).Any(s => s == "*" || s == value);

    private static IEnumerable<string> Strings(JsonNode? list) => (list as JsonArray ?? []).Select(v => v?.GetValue<string>() ?? "");

    /// <summary>A metav1.LabelSelector (<c>matchLabels</c>, <c>matchExpressions</c>) read through the one selector
    /// grammar: an absent selector matches everything.</summary>
    internal static LabelSelector Selector(JsonNode? selector)
    {
        if (selector is not JsonObject s) return LabelSelector.Everything;
        var parts = new List<string>();
        foreach (var (key, value) in s["matchLabels"] as JsonObject ?? []) parts.Add($"{key}={value?.GetValue<string>()}");
        foreach (var expression in (s["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression["key"]?.GetValue<string>();
            var values = string.Join(',', Strings(expression["values"]));
            parts.Add(expression["operator"]?.GetValue<string>() switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => $"{key}",
                "DoesNotExist" => $"!{key}",
                var other => throw new FormatException($"matchExpressions operator \"{other}\" is not In, NotIn, Exists or DoesNotExist"),
            });
        }
        return LabelSelector.Parse(string.Join(',', parts));
    }
}
