namespace Mesh.Kubernetes.Fake.Resources;

/// <summary>One kind the fake API server stores and serves, as its discovery document describes it.</summary>
/// <param name="Group">The API group; empty for the core group (<c>/api/v1</c>).</param>
/// <param name="Resource">The plural name in URLs (<c>virtualservices</c>).</param>
/// <param name="HasStatus">Whether the kind has a <c>status</c> subresource: then only that subresource writes status.</param>
/// <param name="IsCustom">A CustomResourceDefinition's kind: no strategic merge patch, as the real server refuses it.</param>
public sealed record ResourceType(
    string Group,
    string Version,
    string Resource,
    string Kind,
    bool Namespaced = true,
    bool HasStatus = true,
    bool IsCustom = false,
    IReadOnlyList<string>? ShortNames = null)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string Singular => Kind.ToLowerInvariant();

    /// <summary>The URL prefix of the group version: <c>/api/v1</c> or <c>/apis/G/V</c>.</summary>
    public string Prefix => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    public override string ToString() => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
}
