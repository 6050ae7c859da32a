using System.Text.RegularExpressions;

namespace Mesh.Config.Validation.Rules;

/// <summary>Kubernetes name syntax: DNS-1123 labels and subdomains, label keys and values.</summary>
internal static partial class Names
{
    /// <summary>Whether a name is a DNS-1123 label (what Kubernetes requires of namespaces and most names).</summary>
    public static bool IsLabel(string name) => Label(name) is null;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    public static string? Label(string name)
    {
        if (name.Length == 0) return "must not be empty";
        if (name.Length > 63) return $"\"{Short(name)}\" is longer than 63 characters";
        return Dns1123Label().IsMatch(name)
            ? null
            : $"\"{Short(name)}\" is not a DNS-1123 label (lower case letters, digits and '-', starting and ending with a letter or digit)";
    }

    public static string? Subdomain(string name)
    {
        if (name.Length == 0) return "must not be empty";
        if (name.Length > 253) return $"\"{Short(name)}\" is longer than 253 characters";
        foreach (var part in name.Split('.'))
        {
            if (part.Length == 0 || part.Length > 63 || !Dns1123Label().IsMatch(part))
            {
                return $"\"{Short(name)}\" is not a DNS-1123 subdomain";
            }
        }
        return null;
    }

    /// <summary>A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static string? LabelKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && Subdomain(key[..slash]) is { } prefixReason) return $"prefix: {prefixReason}";
        if (name.Length == 0 || name.Length > 63 || !QualifiedName().IsMatch(name))
        {
            return "a key is an optional DNS subdomain prefix and '/', then 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
        }
        return null;
    }

    public static string? LabelValue(string value)
    {
        if (value.Length == 0) return null;
        if (value.Length > 63) return $"label value \"{Short(value)}\" is longer than 63 characters";
        return QualifiedName().IsMatch(value)
            ? null
            : $"label value \"{Short(value)}\" must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
    }

    /// <summary>User text as error messages quote it: at most <paramref name="max"/> characters, every control or
    /// invisible formatting character escaped (<see cref="Text.UntrustedText"/>), so that a message can never break a
    /// line, colour a terminal or reorder what a reader sees.</summary>
    public static string Short(string text, int max = 64) => Text.UntrustedText.Short(text, max);
}
