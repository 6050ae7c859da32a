using Envoy.Config.Core.V3;
using Google.Protobuf.Collections;
using Mesh.Config.Views.VirtualServices;
using AppendAction = Envoy.Config.Core.V3.HeaderValueOption.Types.HeaderAppendAction;

namespace Mesh.Xds.Translation;

/// <summary>Istio <c>HeaderOperations</c> (set, add, remove) → Envoy header options: set overwrites, add appends.</summary>
internal static class HeaderOperationsTranslator
{
    public static void Apply(HeaderOperations operations, RepeatedField<HeaderValueOption> toAdd, RepeatedField<string> toRemove)
    {
        foreach (var (name, value) in operations.Set)
        {
            toAdd.Add(Option(name, value, AppendAction.OverwriteIfExistsOrAdd));
        }
        foreach (var (name, value) in operations.Add)
        {
            toAdd.Add(Option(name, value, AppendAction.AppendIfExistsOrAdd));
        }
        foreach (var name in operations.Remove.Order(StringComparer.Ordinal))
        {
            toRemove.Add(name);
        }
    }

    private static HeaderValueOption Option(string name, string value, AppendAction action) => new()
    {
        Header = new HeaderValue { Key = name, Value = value },
        AppendAction = action,
    };
}
