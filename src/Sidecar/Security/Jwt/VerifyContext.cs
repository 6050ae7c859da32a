using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>The state of one request's verification: the request (whose headers verified tokens change), the
/// metadata collected for <c>envoy.filters.http.jwt_authn</c>, and the first verified token, whose claims become
/// <c>istio_authn</c>. Used by one request at a time.</summary>
internal sealed class VerifyContext(HttpRequest request, TimeProvider time, CancellationToken cancellationToken)
{
    public HttpRequest Request { get; } = request;

    public TimeProvider Time { get; } = time;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Struct ExtractedData { get; } = new();

    public ParsedJwt? FirstVerified { get; private set; }

    public bool ClearRouteCache { get; set; }

    public void Verified(ParsedJwt jwt) => FirstVerified ??= jwt;
}
