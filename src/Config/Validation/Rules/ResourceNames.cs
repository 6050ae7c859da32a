namespace Mesh.Config.Validation.Rules;

/// <summary>The name rules the validator applies, for callers outside it (the API's own parameters).</summary>
public static class ResourceNames
{
    public static bool IsDns1123Label(string name) => Names.IsLabel(name);
}
