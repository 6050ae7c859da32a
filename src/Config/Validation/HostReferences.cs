using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Views.DestinationRules;

namespace Mesh.Config.Validation;

/// <summary>The qualified hosts a ServiceEntry declares or a DestinationRule targets.</summary>
public static class HostReferences
{
    public static IEnumerable<string> Of(Resource resource)
    {
        var ns = resource.Metadata.Namespace;
        if (resource.Kind == ResourceKinds.DestinationRule)
        {
            var rule = DestinationRuleView.From(resource.Spec);
            if (rule.Host.Length > 0) yield return rule.QualifiedHost(ns);
        }
        else if (resource.Kind == ResourceKinds.ServiceEntry && resource.Spec["hosts"] is System.Text.Json.Nodes.JsonArray hosts)
        {
            foreach (var node in hosts)
            {
                if (FieldPath.IsString(node, out var declared)) yield return Rules.HostNames.Qualify(declared, ns);
            }
        }
    }
}
