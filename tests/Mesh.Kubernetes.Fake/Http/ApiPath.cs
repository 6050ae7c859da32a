using Mesh.Kubernetes.Fake.Resources;

namespace Mesh.Kubernetes.Fake.Http;

/// <summary>A request path under <c>/api/v1</c> or <c>/apis/G/V</c> that names a resource:
/// <c>[namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]]</c>. <c>/api/v1/namespaces/x/status</c> is the namespace's status,
/// because no kind is called "status": the same rule the real server's routes encode.</summary>
public sealed record ApiPath(ResourceType Resource, string? Namespace, string? Name, string? Subresource)
{
    /// <returns>Null when the path is not a resource path of a kind in <paramref name="types"/>.</returns>
    public static ApiPath? Parse(ResourceTypes types, string group, string version, string[] rest)
    {
        if (rest.Length >= 3 && rest[0] == "namespaces" && types.Find(group, version, rest[2]) is { Namespaced: true } namespaced)
        {
            return rest.Length <= 5 ? new(namespaced, rest[1], rest.ElementAtOrDefault(3), rest.ElementAtOrDefault(4)) : null;
        }
        if (rest.Length is 0 or > 3 || types.Find(group, version, rest[0]) is not { } type) return null;
        return new(type, null, rest.ElementAtOrDefault(1), rest.ElementAtOrDefault(2));
    }
}
