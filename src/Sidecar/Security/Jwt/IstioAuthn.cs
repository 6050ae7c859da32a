using Google.Protobuf.WellKnownTypes;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>The <c>istio_authn</c> dynamic metadata of a verified token, the keys Istio's AuthorizationPolicy
/// translation matches on: <c>request.auth.principal</c> (iss/sub), <c>request.auth.audiences</c>,
/// <c>request.auth.presenter</c> (azp) and <c>request.auth.claims</c>.</summary>
internal static class IstioAuthn
{

    public static Struct From(ParsedJwt jwt)
    {
        var fields = new Struct();
        var payload = jwt.Payload.Fields;
        if (Principal(jwt) is { } principal) fields.Fields[AuthnMetadataKeys.RequestPrincipal] = Value.ForString(principal);
        if (jwt.Audiences.Count == 1) fields.Fields[AuthnMetadataKeys.Audiences] = Value.ForString(jwt.Audiences[0]);
        else if (jwt.Audiences.Count > 1) fields.Fields[AuthnMetadataKeys.Audiences] = Value.ForList(jwt.Audiences.Select(Value.ForString).ToArray());
        if (payload.TryGetValue("azp", out var presenter) && presenter.KindCase == Value.KindOneofCase.StringValue)
        {
            fields.Fields[AuthnMetadataKeys.Presenter] = presenter.Clone();
        }
        fields.Fields[AuthnMetadataKeys.Claims] = Value.ForStruct(Claims(jwt.Payload));
        return fields;
    }

    /// <summary>The request principal, <c>iss/sub</c>; null unless the token has both claims.</summary>
    public static string? Principal(ParsedJwt jwt)
        => IsString(jwt.Payload.Fields, "iss") && IsString(jwt.Payload.Fields, "sub") ? $"{jwt.Issuer}/{jwt.Subject}" : null;

    /// <summary>Every claim as a list, which is what Istio's claim matchers (list_match one_of) expect: a string is a
    /// one-element list, a list stays a list, a number or boolean is a one-element list; an object keeps its shape
    /// with its own claims converted (so nested claim paths work); null claims are left out.</summary>
    private static Struct Claims(Struct payload)
    {
        var claims = new Struct();
        foreach (var (name, value) in payload.Fields)
        {
            switch (value.KindCase)
            {
                case Value.KindOneofCase.ListValue:
                    claims.Fields[name] = value.Clone();
                    break;
                case Value.KindOneofCase.StructValue:
                    claims.Fields[name] = Value.ForStruct(Claims(value.StructValue));
                    break;
                case Value.KindOneofCase.StringValue or Value.KindOneofCase.NumberValue or Value.KindOneofCase.BoolValue:
                    claims.Fields[name] = Value.ForList(value.Clone());
                    break;
            }
        }
        return claims;
    }

    private static bool IsString(IDictionary<string, Value> fields, string name)
        => fields.TryGetValue(name, out var value) && value.KindCase == Value.KindOneofCase.StringValue;
}
