namespace Mesh.Sidecar.Config;

/// <summary>The error list every compiler appends to: each entry is the NACK text for one field.</summary>
internal static class CompileErrors
{
    /// <summary>Records <paramref name="error"/> and gives null, so a compiler can refuse in one expression.</summary>
    public static T? Fail<T>(this List<string> errors, string error) where T : class
    {
        errors.Add(error);
        return null;
    }

    /// <summary>Compiles one matcher of the shared stack, turning its refusal into an error here.</summary>
    public static T? Matcher<T>(this List<string> errors, Func<T> compile) where T : class
    {
        try
        {
            return compile();
        }
        catch (Matching.MatcherConfigException exception)
        {
            errors.Add(exception.Message);
            return null;
        }
    }
}
