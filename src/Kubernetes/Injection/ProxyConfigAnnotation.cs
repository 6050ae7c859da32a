using System.Text.Json.Nodes;
using Mesh.Config.Manifests;

namespace Mesh.Kubernetes.Injection;

/// <summary><c>proxy.istio.io/config</c>: a ProxyConfig in YAML. Mesh honours <c>holdApplicationUntilProxyStarts</c>;
/// any other field is named in a warning, since Mesh's sidecar has no such setting.</summary>
internal static class ProxyConfigAnnotation
{
    public static (bool Hold, IReadOnlyList<string> Warnings) Read(IReadOnlyDictionary<string, string> annotations, List<PodFormatException> errors)
    {
        if (!annotations.TryGetValue(IstioAnnotations.ProxyConfig, out var text) || string.IsNullOrWhiteSpace(text)) return (false, []);
        var path = AnnotationReader.Path(IstioAnnotations.ProxyConfig);
        var documents = ManifestParser.Parse(text);
        if (documents.Count != 1 || !documents[0].IsValid)
        {
            var why = documents.Count > 1 ? "one ProxyConfig document expected" : documents.SelectMany(d => d.Errors).Select(e => e.ToString()).FirstOrDefault() ?? "empty";
            errors.Add(new PodFormatException(path, $"not a ProxyConfig in YAML: {why}"));
            return (false, []);
        }
        var config = documents[0].Root!;
        var hold = false;
        if (config[IstioAnnotations.HoldApplicationUntilProxyStarts] is { } value)
        {
            if (value is JsonValue flag && flag.TryGetValue<bool>(out var on)) hold = on;
            else errors.Add(new PodFormatException($"{path}.{IstioAnnotations.HoldApplicationUntilProxyStarts}", $"{value.ToJsonString()} is not true or false"));
        }
        var ignored = config.Select(field => field.Key).Where(key => key != IstioAnnotations.HoldApplicationUntilProxyStarts).Order(StringComparer.Ordinal).ToList();
        return (hold, ignored.Count == 0 ? [] :
            [$"{path}: Mesh ignores {string.Join(", ", ignored)} (of ProxyConfig it honours only {IstioAnnotations.HoldApplicationUntilProxyStarts})"]);
    }
}
