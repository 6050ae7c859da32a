using Mesh.Config.Validation.Rules;

namespace Mesh.Sidecar.Config;

/// <summary>Envoy's validate rules for header names and values in config (<c>HTTP_HEADER_NAME</c> and
/// <c>HTTP_HEADER_VALUE</c>, strict), so that no header edit from a control plane can split a header or inject one
/// (CR, LF, NUL). The syntax is the validator's own (<see cref="Http"/>): what the control plane stores is what the
/// sidecar accepts. On top of it, what this proxy can send: ASCII values (Kestrel and HttpClient send no other) and
/// Envoy's length bound.</summary>
public static class HeaderRules
{
    /// <summary>Envoy's <c>max_bytes</c> for header names and values.</summary>
    public const int MaxLength = 16384;

    /// <returns>What is wrong with the name, or null.</returns>
    public static string? NameProblem(string name)
        => name.Length > MaxLength ? $"a header name must be at most {MaxLength} characters" : Http.WritableHeaderName(name);

    /// <returns>What is wrong with the value, or null.</returns>
    public static string? ValueProblem(string value)
    {
        if (value.Length > MaxLength) return $"a header value must be at most {MaxLength} characters";
        if (Http.PlainHeaderValue(value) is { } problem) return problem;
        var wide = value.AsSpan().IndexOfAnyExceptInRange('\0', '\x7f');
        return wide < 0 ? null : $"header value \"{Mesh.Config.Text.UntrustedText.Short(value, 64)}\" holds the non-ASCII character U+{(int)value[wide]:X4} at position {wide}; mesh-sidecar sends ASCII header values only";
    }
}
