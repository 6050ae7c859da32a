using System.Text.RegularExpressions;

namespace Mesh.Kubernetes.Status;

/// <summary>Whether a proxy's NACK is about one config object. A NACK names no config, only Envoy resources, and a
/// state-of-the-world response holds every resource of its type, so the response's names alone would blame every
/// object. The link used is what the error text names: one of the response's resources that comes from the object
/// (Envoy and Mesh's sidecar both start their errors with the resource's name), or, for a VirtualService, one of its
/// routes by the name translation gave it (<c>NAMESPACE.NAME.INDEX</c>), or, for an AuthorizationPolicy, one of its
/// RBAC policies (<see cref="FleetScope.NackMark"/>).</summary>
public static partial class NackAttribution
{
    public static bool Concerns(FleetScope scope, ProxyTypeSnapshot type)
    {
        if (!type.Nacked || !scope.Blamed.Contains(type.TypeUrl)) return false;
        if (scope.Held(type).Any(name => Names(type.NackError, name))) return true;
        if (scope.NackMark.Length > 0 && type.NackError.Contains(scope.NackMark, StringComparison.Ordinal)) return true;
        return scope.RouteNamePrefix.Length > 0 && NamesRoute(type.NackError, scope.RouteNamePrefix);
    }

    /// <summary>The error names <paramref name="name"/> as a whole word, so that <c>reviews.ns.svc:80</c> is not found
    /// in <c>reviews.ns.svc:8080</c>.</summary>
    private static bool Names(string error, string name)
    {
        for (var at = error.IndexOf(name, StringComparison.Ordinal); at >= 0; at = error.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            var end = at + name.Length;
            if ((at == 0 || !IsNamePart(error[at - 1])) && (end == error.Length || !IsNamePart(error[end]))) return true;
        }
        return false;
    }

    private static bool NamesRoute(string error, string prefix) =>
        RouteIndex().Matches(error).Any(m => m.Groups["prefix"].Value == prefix);

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '|' or '_';

    [GeneratedRegex(@"(?<![\w.\-|])(?<prefix>[a-z0-9-]+\.[a-z0-9-]+\.)\d+(?![\w.\-|])")]
    private static partial Regex RouteIndex();
}
