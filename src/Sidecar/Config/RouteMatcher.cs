using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Config;

public enum PathMatch { Prefix, Exact, Regex, SeparatedPrefix }

/// <summary>A compiled Envoy <c>RouteMatch</c>: path (prefix, exact, regex or separated prefix), headers, query
/// parameters, gRPC only, and a runtime fraction. Every part must hold.</summary>
public sealed record RouteMatcher(
    PathMatch PathKind,
    string PathValue,
    Regex? PathRegex,
    bool CaseSensitive,
    IReadOnlyList<HeaderCondition> Headers,
    IReadOnlyList<QueryCondition> Query,
    bool GrpcOnly,
    Fraction? RuntimeFraction)
{
    public bool Matches(HttpRequest request, string path, double roll)
    {
        if (!PathMatches(path)) return false;
        if (GrpcOnly && !Grpc.IsGrpc(request)) return false;
        foreach (var header in Headers)
        {
            if (!header.Matches(request)) return false;
        }
        foreach (var query in Query)
        {
            if (!query.Matches(request)) return false;
        }
        return RuntimeFraction is not { } fraction || fraction.Roll(roll);
    }

    private bool PathMatches(string path)
    {
        var comparison = CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return PathKind switch
        {
            PathMatch.Prefix => path.StartsWith(PathValue, comparison),
            PathMatch.Exact => string.Equals(path, PathValue, comparison),
            PathMatch.SeparatedPrefix => path.StartsWith(PathValue, comparison) && (path.Length == PathValue.Length || path[PathValue.Length] == '/'),
            PathMatch.Regex => PathRegex!.IsMatch(path),
            _ => false,
        };
    }
}

/// <summary>How a string is matched: Envoy's StringMatcher, and the legacy header-matcher forms.</summary>
public sealed record StringCondition(StringKind Kind, string Value, Regex? Regex, bool IgnoreCase)
{
    public bool Matches(string text)
    {
        var comparison = IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return Kind switch
        {
            StringKind.Exact => string.Equals(text, Value, comparison),
            StringKind.Prefix => text.StartsWith(Value, comparison),
            StringKind.Suffix => text.EndsWith(Value, comparison),
            StringKind.Contains => text.Contains(Value, comparison),
            StringKind.Regex => Regex!.IsMatch(text),
            _ => false,
        };
    }
}

public enum StringKind { Exact, Prefix, Suffix, Contains, Regex }

/// <summary>A header condition; <c>:method</c>, <c>:authority</c>, <c>:path</c> and <c>:scheme</c> are read from
/// the request line, as Envoy does.</summary>
public sealed record HeaderCondition(string Name, StringCondition? Value, bool? Present, (long Start, long End)? Range, bool Invert)
{
    public bool Matches(HttpRequest request) => Evaluate(request) != Invert;

    private bool Evaluate(HttpRequest request)
    {
        var value = Read(request, Name);
        if (Present is { } present) return (value is not null) == present;
        if (value is null) return false;
        if (Range is { } range) return long.TryParse(value, out var number) && number >= range.Start && number < range.End;
        return Value?.Matches(value) ?? true;
    }

    public static string? Read(HttpRequest request, string name) => name switch
    {
        ":method" => request.Method,
        ":authority" => request.Host.Value,
        ":path" => request.Path.Value + request.QueryString.Value,
        ":scheme" => request.Scheme,
        _ => request.Headers.TryGetValue(name, out var values) ? string.Join(',', values.ToArray()) : null,
    };
}

public sealed record QueryCondition(string Name, StringCondition? Value, bool PresentOnly)
{
    public bool Matches(HttpRequest request)
    {
        if (!request.Query.TryGetValue(Name, out var values)) return false;
        if (PresentOnly || Value is null) return true;
        return values.Any(v => v is not null && Value.Matches(v));
    }
}

/// <summary>gRPC requests, as Envoy recognises them: content-type application/grpc (with or without a suffix).</summary>
public static class Grpc
{
    public static bool IsGrpc(HttpRequest request)
        => request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}
