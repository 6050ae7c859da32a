namespace Mesh.Sidecar.Matching;

/// <summary>Envoy's <c>ignore_case</c> folds ASCII letters only; .NET's OrdinalIgnoreCase folds more of Unicode (for
/// example the long s to S), which would make an ignore-case matcher match strings Envoy would not.</summary>
internal static class AsciiCase
{
    public static string ToLower(string value)
    {
        var first = value.AsSpan().IndexOfAnyInRange('A', 'Z');
        if (first < 0) return value;
        return string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
        });
    }
}
