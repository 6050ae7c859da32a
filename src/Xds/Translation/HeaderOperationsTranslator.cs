using System.Text.Json.Nodes;
using Envoy.Config.Core.V3;
using Google.Protobuf.Collections;
using AppendAction = Envoy.Config.Core.V3.HeaderValueOption.Types.HeaderAppendAction;

namespace Mesh.Xds.Translation;

/// <summary>Istio <c>HeaderOperations</c> (set, add, remove) → Envoy header options: set overwrites, add appends.</summary>
internal static class HeaderOperationsTranslator
{
    public static void Apply(JsonObject? operations, RepeatedField<HeaderValueOption> toAdd, RepeatedField<string> toRemove)
    {
        if (operations is null) return;
        foreach (var (name, value) in operations.SortedEntries("set"))
        {
            toAdd.Add(Option(name, value, AppendAction.OverwriteIfExistsOrAdd));
        }
        foreach (var (name, value) in operations.SortedEntries("add"))
        {
            toAdd.Add(Option(name, value, AppendAction.AppendIfExistsOrAdd));
        }
        foreach (var name in operations.Array("remove").Select(n => n?.GetValue<string>()).OfType<string>().Order(StringComparer.Ordinal))
        {
            toRemove.Add(name);
        }
    }

    private static HeaderValueOption Option(string name, JsonNode? value, AppendAction action) => new()
    {
        Header = new HeaderValue { Key = name, Value = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : "" },
        AppendAction = action,
    };
}
