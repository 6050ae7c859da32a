using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;

namespace Mesh.Config.Validation.Schemas;

/// <summary>What the three security kinds share: how a policy picks the workloads it applies to.</summary>
internal static class SecuritySchemas
{
    /// <summary>selector, targetRef and targetRefs are three ways to attach a policy; only one may be used.</summary>
    public static void CheckAttachment(JsonObject spec, string path, Problems problems)
    {
        var used = new[] { "selector", "targetRef", "targetRefs" }.Where(f => spec[f] is not null).ToList();
        if (used.Count > 1) problems.Error(path, $"only one of selector, targetRef and targetRefs may be set, got {string.Join(", ", used)}");
    }
}
