using System.Text.RegularExpressions;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;
using static Mesh.Config.Validation.Schemas.GatewayApiCommon;

namespace Mesh.Config.Validation.Schemas;

/// <summary>gateway.networking.k8s.io GRPCRoute, with the rules of the upstream CRD (OpenAPI and CEL).</summary>
internal static partial class GatewayApiGrpcRouteSchema
{
    [GeneratedRegex(@"^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$")]
    private static partial Regex ServicePattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z_0-9]*$")]
    private static partial Regex MethodPattern();

    private static readonly ObjectSchema MethodMatch = Obj(
            ("type", Enum("Exact", "RegularExpression")),
            ("service", Matching(s => Length(s, 0, 1024))),
            ("method", Matching(m => Length(m, 0, 1024))))
        .Rule((match, path, problems) =>
        {
            if (match["service"] is null && match["method"] is null) problems.Error(path, "one or both of service and method must be set");
            var exact = StringOr(match, "type", "Exact") == "Exact";
            foreach (var (field, pattern, what) in new[] { ("service", ServicePattern(), "a gRPC service name"), ("method", MethodPattern(), "a gRPC method name") })
            {
                if (!FieldPath.IsString(match[field], out var value)) continue;
                var reason = exact ? (pattern.IsMatch(value) ? null : $"\"{Names.Short(value)}\" is not {what}") : Re2.Check(value);
                if (reason is not null) problems.Error(FieldPath.Field(path, field), reason);
            }
        });

    private static readonly ObjectSchema Match = Obj(("method", MethodMatch), ("headers", GatewayApiHttpRouteSchema.HeaderMatches));

    private static readonly ObjectSchema Rule = Obj(
        ("name", SectionName),
        ("matches", MaxItems(List(Match), 64)),
        ("filters", GatewayApiFilterSchema.Filters("RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "ExtensionRef")),
        ("backendRefs", MaxItems(List(GatewayApiHttpRouteSchema.BackendRefOf(
            GatewayApiFilterSchema.Filters("RequestHeaderModifier", "ResponseHeaderModifier"))), 16)),
        ("sessionPersistence", NotImplemented("sessionPersistence is not implemented by Mesh")));

    public static ObjectSchema Spec { get; } = Obj(
            ("parentRefs", ParentRefs),
            ("hostnames", MaxItems(List(Hostname), 16)),
            ("rules", MaxItems(List(Rule), 16).Rule(GatewayApiHttpRouteSchema.TotalMatches)))
        .Require("parentRefs");
}
