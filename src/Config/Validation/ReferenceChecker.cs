using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using Mesh.Config.Views.DestinationRules;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Config.Validation;

/// <summary>Finds references to things that do not exist (a subset no DestinationRule defines, a host no
/// ServiceEntry declares). These are warnings: the resource is still accepted.</summary>
public static class ReferenceChecker
{
    public static async ValueTask<IReadOnlyList<FieldError>> CheckAsync(Resource resource, IConfigLookup lookup, CancellationToken cancellationToken = default)
    {
        if (resource.Kind != ResourceKinds.VirtualService) return [];
        var destinations = VirtualServiceView.From(resource.Spec).Destinations().Where(d => d.Destination.Host.Length > 0).ToList();
        if (destinations.Count == 0) return [];

        // Only what names the destinations' hosts is read, so the cost follows the manifest, not the mesh.
        var ns = resource.Metadata.Namespace;
        var byHost = new Dictionary<string, (List<DestinationRuleView> Rules, bool Declared)>(StringComparer.Ordinal);
        foreach (var fqdn in destinations.Select(d => HostNames.Qualify(d.Destination.Host, ns)).Distinct(StringComparer.Ordinal))
        {
            var rules = await lookup.ListForHostAsync(ResourceKinds.DestinationRule.Kind, fqdn, cancellationToken).ConfigureAwait(false);
            var entries = rules.Count > 0 ? [] : await lookup.ListForHostAsync(ResourceKinds.ServiceEntry.Kind, fqdn, cancellationToken).ConfigureAwait(false);
            byHost[fqdn] = ([.. rules.Select(rule => DestinationRuleView.From(rule.Spec))], rules.Count > 0 || entries.Count > 0);
        }

        var warnings = new List<FieldError>();
        foreach (var (path, destination) in destinations)
        {
            var fqdn = HostNames.Qualify(destination.Host, ns);
            var isShort = !destination.Host.Contains('.');
            var (hostRules, known) = byHost[fqdn];
            if (!known)
            {
                warnings.Add(new FieldError(FieldPath.Field(path, "host"),
                    $"host \"{Names.Short(destination.Host)}\" is not declared by any ServiceEntry or DestinationRule" +
                    (isShort ? $" (looked for \"{Names.Short(destination.Host)}\" and \"{Names.Short(fqdn)}\")" : "")));
            }
            if (destination.Subset is null) continue;
            var subsetDefined = hostRules.Any(rule => rule.Subsets.Any(s => s.Name == destination.Subset));
            if (!subsetDefined)
            {
                warnings.Add(new FieldError(FieldPath.Field(path, "subset"),
                    $"subset \"{Names.Short(destination.Subset)}\" is not defined by any DestinationRule for host \"{Names.Short(fqdn)}\""));
            }
        }
        return warnings;
    }
}
