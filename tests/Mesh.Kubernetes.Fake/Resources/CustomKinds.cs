using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Fake.Resources;

/// <summary>The kinds a CustomResourceDefinition defines: one per served version, with its names, scope and
/// whether it has a <c>status</c> subresource.</summary>
internal static class CustomKinds
{
    public static IEnumerable<ResourceType> Of(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? [];
        var names = spec["names"] as JsonObject ?? [];
        var group = spec["group"]?.GetValue<string>() ?? "";
        var plural = names["plural"]?.GetValue<string>() ?? "";
        var kind = names["kind"]?.GetValue<string>() ?? "";
        if (group.Length == 0 || plural.Length == 0 || kind.Length == 0) yield break;
        var shortNames = (names["shortNames"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();
        foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"]?.GetValue<bool>() != true) continue;
            yield return new ResourceType(
                group, version["name"]!.GetValue<string>(), plural, kind,
                Namespaced: spec["scope"]?.GetValue<string>() != "Cluster",
                HasStatus: version["subresources"]?["status"] is not null,
                IsCustom: true,
                ShortNames: shortNames.Count == 0 ? null : shortNames);
        }
    }
}
