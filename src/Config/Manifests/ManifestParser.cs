namespace Mesh.Config.Manifests;

/// <summary>Reads a manifest (YAML or JSON, one or more documents separated by <c>---</c>) into JSON trees,
/// within <see cref="ManifestLimits"/>. Never throws on bad input: problems come back as errors.</summary>
public static class ManifestParser
{
    /// <summary>Reads UTF-8 bytes; invalid UTF-8 is an error.</summary>
    public static IReadOnlyList<ManifestDocument> Parse(ReadOnlySpan<byte> utf8, ManifestLimits? limits = null)
        => throw new NotImplementedException();

    public static IReadOnlyList<ManifestDocument> Parse(string text, ManifestLimits? limits = null)
        => throw new NotImplementedException();
}
