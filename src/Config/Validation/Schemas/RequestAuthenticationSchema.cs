using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>security.istio.io RequestAuthentication: which JWTs a workload accepts, and from where it reads them.</summary>
internal static class RequestAuthenticationSchema
{
    private static readonly ObjectSchema JwtRule = Obj(
            ("issuer", Common.NonEmpty("must not be empty")),
            ("audiences", List(Common.NonEmpty("audience must be a non-empty string"))),
            ("jwksUri", Matching(Http.HttpUrl)),
            ("jwks", Str),
            ("fromHeaders", List(Obj(("name", Matching(Http.HeaderName)), ("prefix", Matching(Http.PlainHeaderValue))).Require("name"))),
            ("fromParams", List(Matching(p => p.Length == 0 ? "location query must be a non-empty string" : Http.NoControls(p, "query parameter")))),
            ("fromCookies", List(Matching(Http.CookieName))),
            ("outputPayloadToHeader", Matching(Http.WritableHeaderName)),
            ("forwardOriginalToken", Bool),
            ("outputClaimToHeaders", List(Obj(("header", Matching(Http.StrictHeaderName)), ("claim", Common.NonEmpty("claim must be a non-empty string"))).Require("header", "claim"))),
            ("timeout", Common.PositiveDuration))
        .Require("issuer");

    public static ObjectSchema Spec { get; } = Obj(
            ("selector", Common.MatchLabelsSelector),
            ("targetRef", Common.TargetRef),
            ("targetRefs", List(Common.TargetRef)),
            ("jwtRules", List(JwtRule).Unique(r => FieldPath.IsString(FieldPath.Get(r, "issuer"), out var s) ? s : null, "issuer")))
        .Rule(SecuritySchemas.CheckAttachment);
}
