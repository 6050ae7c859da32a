using Mesh.Config.Validation.Rules;

namespace Mesh.Sidecar.Config;

/// <summary>Envoy's validate rules for header names and values in config (<c>HTTP_HEADER_NAME</c> and
/// <c>HTTP_HEADER_VALUE</c>, strict), so that no header edit from a control plane can split a header or inject one
/// (CR, LF, NUL). The rules are the validator's own (<see cref="Http"/>: tokens; no control characters; ASCII, the
/// only values Kestrel and HttpClient send; Envoy's length bound), so what the control plane stores is what the
/// sidecar accepts.</summary>
public static class HeaderRules
{
    /// <returns>What is wrong with the name, or null.</returns>
    public static string? NameProblem(string name) => Http.WritableHeaderName(name);

    /// <returns>What is wrong with the value, or null.</returns>
    public static string? ValueProblem(string value) => Http.PlainHeaderValue(value);
}
