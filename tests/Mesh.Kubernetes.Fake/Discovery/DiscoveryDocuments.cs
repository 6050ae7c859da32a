using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Resources;

namespace Mesh.Kubernetes.Fake.Discovery;

/// <summary>The plain (not aggregated) discovery documents. kubectl 1.32 asks for the aggregated form first and
/// falls back to these when the answer is plain JSON; from them it maps kinds and short names to URLs.</summary>
public static class DiscoveryDocuments
{
    private static readonly JsonArray Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-mesh-fake", ["gitCommit"] = "fake", ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z", ["goVersion"] = "go1.23", ["compiler"] = "gc", ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions() => new()
    {
        ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }),
    };

    public static JsonObject Groups(ResourceTypes types) => new()
    {
        ["kind"] = "APIGroupList", ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. types.All.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct().Select(g => Group(types, g))]),
    };

    public static JsonObject? Group(ResourceTypes types, string group)
    {
        var versions = types.All.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
        if (versions.Count == 0) return null;
        JsonObject Version(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup", ["apiVersion"] = "v1", ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(Version)]),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    /// <summary>The APIResourceList of one group version: each kind, its <c>status</c> subresource when it has one.</summary>
    public static JsonObject? Resources(ResourceTypes types, string group, string version)
    {
        var inVersion = types.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (inVersion.Count == 0) return null;
        var resources = new JsonArray();
        foreach (var type in inVersion)
        {
            var resource = new JsonObject
            {
                ["name"] = type.Resource, ["singularName"] = type.Singular, ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind, ["verbs"] = Verbs.DeepClone(),
            };
            if (type.ShortNames is { Count: > 0 } shortNames) resource["shortNames"] = new JsonArray([.. shortNames.Select(s => JsonValue.Create(s))]);
            if (type.IsCustom) resource["categories"] = new JsonArray("all");
            resources.Add(resource);
            if (type.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{type.Resource}/status", ["singularName"] = "", ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind, ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = inVersion[0].GroupVersion, ["resources"] = resources };
    }
}
