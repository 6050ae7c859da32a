using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;

namespace Mesh.Config.Validation;

/// <summary>Every destination a VirtualService sends traffic to: routes of all three protocols, and mirrors.</summary>
internal static class RouteDestinations
{
    public sealed record Reference(string Path, string Host, string? Subset);

    public static IEnumerable<Reference> Of(JsonObject spec)
    {
        foreach (var protocol in new[] { "http", "tls", "tcp" })
        {
            var routes = spec[protocol] as JsonArray ?? [];
            for (var i = 0; i < routes.Count; i++)
            {
                var routePath = FieldPath.Index($"spec.{protocol}", i);
                var destinations = FieldPath.Get(routes[i], "route") as JsonArray ?? [];
                for (var j = 0; j < destinations.Count; j++)
                {
                    if (Read(FieldPath.Get(destinations[j], "destination"), $"{routePath}.route[{j}].destination") is { } found) yield return found;
                }
                if (Read(FieldPath.Get(routes[i], "mirror"), $"{routePath}.mirror") is { } mirror) yield return mirror;
                var mirrors = FieldPath.Get(routes[i], "mirrors") as JsonArray ?? [];
                for (var j = 0; j < mirrors.Count; j++)
                {
                    if (Read(FieldPath.Get(mirrors[j], "destination"), $"{routePath}.mirrors[{j}].destination") is { } found) yield return found;
                }
            }
        }
    }

    private static Reference? Read(JsonNode? destination, string path)
    {
        if (destination is not JsonObject || !FieldPath.IsString(destination["host"], out var host)) return null;
        var subset = FieldPath.IsString(destination["subset"], out var s) ? s : null;
        return new Reference(path, host, subset);
    }
}
