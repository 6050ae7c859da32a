namespace Mesh.Kubernetes.Source;

/// <summary>The API server no longer has the history a watch asked to resume from (<c>410 Gone</c>, reason
/// <c>Expired</c>): whether it came as an ERROR event or as the HTTP status, the only way on is a new list.</summary>
public sealed class ResourceGoneException(ApiResource resource, string message) : Exception($"{resource}: {message}")
{
    public ApiResource Resource { get; } = resource;
}

/// <summary>The API server answered with an error other than 410 (an ERROR event's Status, or an HTTP status).</summary>
public sealed class ApiServerException(ApiResource resource, int code, string message) : Exception($"{resource}: {code} {message}")
{
    public int Code { get; } = code;
}
