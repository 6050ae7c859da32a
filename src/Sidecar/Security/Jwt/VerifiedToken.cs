using Google.Protobuf.WellKnownTypes;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>What a verified token leaves on the request, as its provider asks: the payload header, claim headers,
/// the token itself removed (<c>forward: false</c>), the header and payload as metadata.</summary>
internal static class VerifiedToken
{
    public static void Apply(VerifyContext context, Provider provider, ParsedJwt jwt, ExtractedToken token)
    {
        var headers = context.Request.Headers;
        if (provider.ForwardPayloadHeader is { } payloadHeader)
        {
            var payload = jwt.PayloadBase64Url;
            if (provider.PadForwardPayloadHeader && payload.Length % 4 != 0) payload += new string('=', 4 - (payload.Length % 4));
            headers.Append(payloadHeader, payload);
        }
        var added = false;
        foreach (var (header, claim) in provider.ClaimToHeaders)
        {
            // A claim is signed, not trusted: its text is often the user's own (a name, an e-mail). A value that is not
            // a valid header value (CR, LF, NUL, non-ASCII) would split or inject a header, so it is not copied.
            if (ClaimValues.HeaderValue(jwt.Payload, claim) is { Length: > 0 } value && Mesh.Config.Validation.Rules.Http.PlainHeaderValue(value) is null)
            {
                headers.Append(header, value);
                added = true;
            }
        }
        if (provider.ClearRouteCache && (added || provider.PayloadInMetadata is not null)) context.ClearRouteCache = true;
        if (!provider.Forward) token.RemoveFrom(context.Request);
        if (provider.HeaderInMetadata is { } headerKey) context.ExtractedData.Fields[headerKey] = Value.ForStruct(jwt.Header.Clone());
        if (provider.PayloadInMetadata is { } payloadKey)
        {
            context.ExtractedData.Fields[payloadKey] = Value.ForStruct(ClaimValues.Normalize(jwt.Payload, provider.SpaceDelimitedClaims).Clone());
        }
        context.Verified(jwt);
    }
}
