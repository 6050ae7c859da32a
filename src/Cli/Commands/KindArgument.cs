using Mesh.Cli.Input;
using Mesh.Config.Kinds;

namespace Mesh.Cli.Commands;

/// <summary>Resolves the kind names users type (<c>vs</c>, <c>virtualservices</c>, ...).</summary>
public static class KindArgument
{
    public static ResourceKind Resolve(string? name) =>
        string.IsNullOrWhiteSpace(name)
            ? throw new UsageException("a kind is required, for example: meshctl get virtualservices")
            : ResourceKinds.Resolve(name) ?? throw new UsageException(
                $"unknown kind \"{name}\"; Mesh serves {string.Join(", ", ResourceKinds.All.Select(k => k.ShortNames.Count > 0 ? $"{k.Plural} ({k.ShortNames[0]})" : k.Plural))}");

    /// <summary>kubectl's way of naming one resource: <c>virtualservice.networking.istio.io/reviews</c>.</summary>
    public static string Qualified(string kind, string name) =>
        ResourceKinds.FromKindName(kind) is { } resolved ? $"{resolved.QualifiedName}/{name}" : $"{kind.ToLowerInvariant()}/{name}";
}
