namespace Mesh.Kubernetes.Injection;

/// <summary>RFC 6901 pointers: <c>~</c> and <c>/</c> in a key are escaped (<c>~0</c>, <c>~1</c>), in that order, so that
/// an annotation key like <c>mesh.io/sidecar-status</c> is one segment.</summary>
public static class JsonPointer
{
    public static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Of(params object[] segments) =>
        string.Concat(segments.Select(s => "/" + (s is string text ? Escape(text) : Convert.ToString(s, System.Globalization.CultureInfo.InvariantCulture))));
}
