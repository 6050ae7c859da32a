using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>security.istio.io RequestAuthentication: which JWTs a workload accepts, and from where it reads them.</summary>
internal static class RequestAuthenticationSchema
{
    private static readonly ObjectSchema JwtRule = Obj(
            ("issuer", Matching(i => i.Length == 0 ? "must not be empty" : null)),
            ("audiences", List(Str)),
            ("jwksUri", Matching(Http.HttpUrl)),
            ("jwks", Str),
            ("fromHeaders", List(Obj(("name", Matching(Http.HeaderName)), ("prefix", Str)).Require("name"))),
            ("fromParams", List(Str)),
            ("fromCookies", List(Str)),
            ("outputPayloadToHeader", Matching(Http.HeaderName)),
            ("forwardOriginalToken", Bool),
            ("outputClaimToHeaders", List(Obj(("header", Matching(Http.WritableHeaderName)), ("claim", Str)).Require("header", "claim"))),
            ("timeout", Common.PositiveDuration))
        .Require("issuer");

    public static ObjectSchema Spec { get; } = Obj(
            ("selector", Common.MatchLabelsSelector),
            ("targetRef", Common.TargetRef),
            ("targetRefs", List(Common.TargetRef)),
            ("jwtRules", List(JwtRule).Unique(r => FieldPath.IsString(FieldPath.Get(r, "issuer"), out var s) ? s : null, "issuer")))
        .Rule(SecuritySchemas.CheckAttachment);
}
