namespace Mesh.Sidecar.Matching;

/// <summary>Envoy's <c>ignore_case</c> folds ASCII letters only; .NET's OrdinalIgnoreCase folds more of Unicode (for
/// example the long s to S), which would make an ignore-case matcher match strings Envoy would not. A pattern is
/// folded once (<see cref="ToLower"/>); a request's value is compared against it in place, without a folded copy.</summary>
internal static class AsciiCase
{
    public static string ToLower(string value)
    {
        var first = value.AsSpan().IndexOfAnyInRange('A', 'Z');
        if (first < 0) return value;
        return string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = Fold(source[i]);
        });
    }

    /// <summary>Whether <paramref name="value"/>, ASCII-folded, equals <paramref name="folded"/> (already folded).</summary>
    public static bool Equals(ReadOnlySpan<char> value, ReadOnlySpan<char> folded)
    {
        if (value.Length != folded.Length) return false;
        for (var i = 0; i < value.Length; i++)
        {
            if (Fold(value[i]) != folded[i]) return false;
        }
        return true;
    }

    public static bool StartsWith(ReadOnlySpan<char> value, ReadOnlySpan<char> folded)
        => value.Length >= folded.Length && Equals(value[..folded.Length], folded);

    public static bool EndsWith(ReadOnlySpan<char> value, ReadOnlySpan<char> folded)
        => value.Length >= folded.Length && Equals(value[^folded.Length..], folded);

    public static bool Contains(ReadOnlySpan<char> value, ReadOnlySpan<char> folded)
    {
        for (var start = 0; start + folded.Length <= value.Length; start++)
        {
            if (Equals(value.Slice(start, folded.Length), folded)) return true;
        }
        return false;
    }

    private static char Fold(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
}
