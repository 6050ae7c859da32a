using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;

namespace Mesh.Config.Validation;

/// <summary>Finds references to things that do not exist (a subset no DestinationRule defines, a host no
/// ServiceEntry declares). These are warnings: the resource is still accepted.</summary>
public static class ReferenceChecker
{
    public static async ValueTask<IReadOnlyList<FieldError>> CheckAsync(Resource resource, IConfigLookup lookup, CancellationToken cancellationToken = default)
    {
        if (resource.Kind != ResourceKinds.VirtualService) return [];
        var destinations = RouteDestinations.Of(resource.Spec).ToList();
        if (destinations.Count == 0) return [];

        var rules = await lookup.ListAsync(ResourceKinds.DestinationRule.Kind, null, cancellationToken).ConfigureAwait(false);
        var entries = await lookup.ListAsync(ResourceKinds.ServiceEntry.Kind, null, cancellationToken).ConfigureAwait(false);
        var services = await lookup.ListAsync(ResourceKinds.VirtualService.Kind, null, cancellationToken).ConfigureAwait(false);

        var ruleHosts = rules.Select(r => (Host: Qualified(r.Spec["host"], r.Metadata.Namespace), Rule: r)).Where(r => r.Host is not null).ToList();
        var declared = entries.SelectMany(e => Strings(e.Spec["hosts"]).Select(h => Hosts.Qualify(h, e.Metadata.Namespace)))
            .Concat(ruleHosts.Select(r => r.Host!))
            .ToList();
        var meshHosts = services.Where(s => s.Key != resource.Key)
            .SelectMany(s => Strings(s.Spec["hosts"]).Select(h => Hosts.Qualify(h, s.Metadata.Namespace)))
            .ToList();

        var warnings = new List<FieldError>();
        var ns = resource.Metadata.Namespace;
        foreach (var destination in destinations)
        {
            var fqdn = Hosts.Qualify(destination.Host, ns);
            var isShort = !destination.Host.Contains('.');
            var known = declared.Any(d => Hosts.Matches(d, fqdn) || Hosts.Matches(d, destination.Host))
                        || (isShort && meshHosts.Any(h => Hosts.Matches(h, fqdn)));
            if (!known)
            {
                warnings.Add(new FieldError(FieldPath.Field(destination.Path, "host"),
                    $"host \"{destination.Host}\" is not declared by any ServiceEntry or DestinationRule" +
                    (isShort ? $" (looked for \"{destination.Host}\" and \"{fqdn}\")" : "")));
            }
            if (destination.Subset is null) continue;
            var subsetDefined = ruleHosts
                .Where(r => Hosts.Matches(r.Host!, fqdn) || Hosts.Matches(r.Host!, destination.Host))
                .Any(r => (r.Rule.Spec["subsets"] as JsonArray ?? []).Any(s => FieldPath.IsString(FieldPath.Get(s, "name"), out var n) && n == destination.Subset));
            if (!subsetDefined)
            {
                warnings.Add(new FieldError(FieldPath.Field(destination.Path, "subset"),
                    $"subset \"{destination.Subset}\" is not defined by any DestinationRule for host \"{fqdn}\""));
            }
        }
        return warnings;
    }

    private static string? Qualified(JsonNode? host, string @namespace)
        => FieldPath.IsString(host, out var h) ? Hosts.Qualify(h, @namespace) : null;

    private static IEnumerable<string> Strings(JsonNode? list)
        => (list as JsonArray ?? []).Select(n => FieldPath.IsString(n, out var s) ? s : null).OfType<string>();
}
