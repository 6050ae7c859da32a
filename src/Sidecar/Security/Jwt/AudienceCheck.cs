namespace Mesh.Sidecar.Security.Jwt;

/// <summary>Envoy's audience check: none configured allows any token; otherwise one of the token's audiences must be
/// configured. Both sides are compared without an http:// or https:// prefix and without a trailing slash.</summary>
internal sealed class AudienceCheck
{
    private readonly HashSet<string> _allowed;

    public AudienceCheck(IEnumerable<string> configured) => _allowed = configured.Select(Sanitize).ToHashSet(StringComparer.Ordinal);

    public bool Allows(IReadOnlyList<string> audiences)
        => _allowed.Count == 0 || audiences.Any(audience => _allowed.Contains(Sanitize(audience)));

    private static string Sanitize(string audience)
    {
        if (audience.Length == 0) return audience;
        var start = audience.StartsWith("http://", StringComparison.Ordinal) ? 7
            : audience.StartsWith("https://", StringComparison.Ordinal) ? 8 : 0;
        var end = audience[^1] == '/' ? audience.Length - 1 : audience.Length;
        return end <= start ? "" : audience[start..end];
    }
}
