using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mesh.Config.Manifests;

/// <summary>YAML 1.2 core schema: what a plain scalar means (null, bool, number or string).</summary>
internal static partial class YamlScalars
{
    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex SpecialFloat();

    public static bool IsNull(string text) => text is "" or "~" or "null" or "Null" or "NULL";

    public static bool? AsBool(string text) => text switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    /// <summary>True when a plain scalar with this text would not read back as the same string.</summary>
    public static bool ReadsAsNonString(string text)
        => IsNull(text) || AsBool(text) is not null || LooksNumeric(text)
           // YAML 1.1 readers (kubectl, go-yaml v2) treat these as booleans; quoting keeps them strings everywhere.
           || text.ToLowerInvariant() is "yes" or "no" or "on" or "off" or "y" or "n";

    private static bool LooksNumeric(string text)
        => DecimalInteger().IsMatch(text) || Float().IsMatch(text) || SpecialFloat().IsMatch(text)
           || text.StartsWith("0x", StringComparison.Ordinal) || text.StartsWith("0o", StringComparison.Ordinal);

    /// <summary>The JSON value of a plain scalar, or an error reason when it is a number JSON cannot hold.</summary>
    public static (JsonNode? Value, string? Error) ResolvePlain(string text)
    {
        if (IsNull(text)) return (null, null);
        if (AsBool(text) is { } b) return (JsonValue.Create(b), null);
        if (DecimalInteger().IsMatch(text)) return Integer(text);
        if (text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'o')
        {
            return Radix(text);
        }
        if (Float().IsMatch(text))
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? (JsonValue.Create(d), null)
                : (null, $"number {Shorten(text)} is out of range");
        }
        return (JsonValue.Create(text), null);
    }

    /// <summary>The JSON value of a scalar with an explicit core tag (<c>!!int "9080"</c>).</summary>
    public static (JsonNode? Value, string? Error) ResolveTagged(string tag, string text)
    {
        switch (tag)
        {
            case "str": return (JsonValue.Create(text), null);
            case "null": return IsNull(text) ? (null, null) : (null, $"\"{Shorten(text)}\" is not a null");
            case "bool":
                return AsBool(text) is { } b ? (JsonValue.Create(b), null) : (null, $"\"{Shorten(text)}\" is not a bool");
            case "int":
            case "float":
                var (value, error) = ResolvePlain(text);
                if (error is not null) return (null, error);
                return value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
                    ? (value, null)
                    : (null, $"\"{Shorten(text)}\" is not a number");
            default: return (null, $"tag !!{tag} is not allowed");
        }
    }

    private static (JsonNode?, string?) Integer(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return (JsonValue.Create(l), null);
        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var m)) return (JsonValue.Create(m), null);
        return (null, $"number {Shorten(text)} is out of range");
    }

    private static (JsonNode?, string?) Radix(string text)
    {
        try
        {
            var value = Convert.ToInt64(text[2..], text[1] == 'x' ? 16 : 8);
            return value < 0 ? (null, $"number {Shorten(text)} is out of range") : (JsonValue.Create(value), null);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return (JsonValue.Create(text), null);
        }
    }

    public static string Shorten(string text) => Validation.Rules.Names.Short(text, 40);
}
