namespace Mesh.Config.Kinds;

/// <summary>A kind of config resource Mesh accepts, with the names kubectl users type for it.</summary>
public sealed record ResourceKind(
    string Kind,
    string Group,
    string Plural,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Versions)
{
    /// <summary>The version Mesh writes back (<c>v1</c>).</summary>
    public string PreferredVersion => Versions[0];

    public string PreferredApiVersion => $"{Group}/{PreferredVersion}";

    /// <summary>kubectl's resource name: <c>virtualservice.networking.istio.io</c>.</summary>
    public string QualifiedName => $"{Kind.ToLowerInvariant()}.{Group}";
}
