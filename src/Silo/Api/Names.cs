using System.Text.RegularExpressions;

namespace Mesh.Silo.Api;

/// <summary>Kubernetes name rules the API checks on its own parameters.</summary>
public static partial class Names
{
    public static bool IsDns1123Label(string value) => value.Length <= 63 && Dns1123Label().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();
}
