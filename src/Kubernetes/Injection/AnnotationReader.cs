using System.Net;

namespace Mesh.Kubernetes.Injection;

/// <summary>Reads a pod's annotations one key at a time, adding a <see cref="PodFormatException"/> at
/// <c>metadata.annotations[KEY]</c> for each value that does not parse; an absent key reads as null.</summary>
internal sealed class AnnotationReader(IReadOnlyDictionary<string, string> annotations, List<PodFormatException> errors)
{
    public static string Path(string key) => $"metadata.annotations[{key}]";

    public T? Value<T>(string key, Func<string, (T? Value, string? Error)> parse)
    {
        if (!annotations.TryGetValue(key, out var text)) return default;
        var (value, error) = parse(text.Trim());
        if (error is null) return value;
        errors.Add(new PodFormatException(Path(key), error));
        return default;
    }

    /// <summary>A comma-separated port list; <c>*</c> (where <paramref name="star"/> allows it) reads as null, every
    /// port, and an empty value as none.</summary>
    public IReadOnlyList<int>? Ports(string key, bool star) => List<int>(key, star, item =>
        Mesh.Config.Text.PortNumber.Parse(item) is { } port ? (port, null) : (0, $"\"{item}\" is not a port (1-65535)"));

    /// <summary>A comma-separated list of CIDRs, as <see cref="Ports"/> reads ports; each is normalised to its network.</summary>
    public IReadOnlyList<IPNetwork>? Ranges(string key, bool star) => List<IPNetwork>(key, star, item =>
        AnnotationValues.Range(item) is { } range ? (range, default) : (default, $"\"{item}\" is not a CIDR such as 10.96.0.0/12 or fd00::/8"));

    private List<T>? List<T>(string key, bool star, Func<string, (T Value, string? Error)> parse)
    {
        if (!annotations.TryGetValue(key, out var text)) return null;
        if (text.Trim() == "*")
        {
            if (star) return null;
            errors.Add(new PodFormatException(Path(key), "* is not allowed here; list the values"));
            return [];
        }
        var items = new List<T>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (value, error) = parse(item);
            if (error is null) items.Add(value);
            else errors.Add(new PodFormatException(Path(key), error));
        }
        return items;
    }
}
