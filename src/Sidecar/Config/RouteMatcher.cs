using Mesh.Sidecar.Matching;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Config;

/// <summary>A compiled Envoy <c>RouteMatch</c>: path, headers, query parameters, gRPC only, and a runtime fraction,
/// on the sidecar's one matcher stack (<see cref="Matching"/>). Every part must hold.</summary>
public sealed record RouteMatcher(
    PathMatch Path,
    IReadOnlyList<HeaderMatch> Headers,
    IReadOnlyList<QueryMatch> Query,
    bool GrpcOnly,
    Fraction? RuntimeFraction)
{
    public PathKind PathKind => Path.Kind;

    public string PathValue => Path.Value;

    public bool Matches(HttpRequest request, string path, double roll)
    {
        if (!Path.Matches(path)) return false;
        if (GrpcOnly && !Grpc.IsGrpc(request)) return false;
        foreach (var header in Headers)
        {
            if (!header.Matches(HeaderMatch.ValueOf(request, header.Name))) return false;
        }
        foreach (var query in Query)
        {
            if (!query.Matches(request.Query)) return false;
        }
        return RuntimeFraction is not { } fraction || fraction.Roll(roll);
    }
}

/// <summary>gRPC requests, as Envoy recognises them: content-type application/grpc (with or without a suffix).</summary>
public static class Grpc
{
    public static bool IsGrpc(HttpRequest request)
        => request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}
