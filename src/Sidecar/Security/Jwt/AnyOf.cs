using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Google.Protobuf.Collections;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>Envoy's <c>requires_any</c>: the first requirement that passes wins. When none does, a real failure
/// (bad signature, expired...) is the answer over "issuer is not configured", which is the answer over "missing".
/// allow_missing and allow_missing_or_failed in the list are not requirements of their own but turn a final
/// "missing" (respectively any failure) into a pass; this is the shape Istio's RequestAuthentication takes.</summary>
internal sealed class AnyOf : Requirement
{
    private readonly Requirement[] _requirements;
    private readonly bool _allowMissing;
    private readonly bool _allowFailed;

    private AnyOf(Requirement[] requirements, bool allowMissing, bool allowFailed)
    {
        _requirements = requirements;
        _allowMissing = allowMissing;
        _allowFailed = allowFailed;
    }

    public static Requirement Compile(RepeatedField<JwtRequirement> list, IReadOnlyDictionary<string, Provider> providers, string field)
    {
        if (list.Count < 2) throw new JwtCompileException($"{field}.requirements", "needs at least 2 requirements");
        var allowMissing = false;
        var allowFailed = false;
        var requirements = new List<Requirement>();
        for (var i = 0; i < list.Count; i++)
        {
            switch (list[i].RequiresTypeCase)
            {
                case JwtRequirement.RequiresTypeOneofCase.AllowMissing:
                    allowMissing = true;
                    break;
                case JwtRequirement.RequiresTypeOneofCase.AllowMissingOrFailed:
                    allowFailed = true;
                    break;
                default:
                    requirements.Add(Requirement.Compile(list[i], providers, $"{field}.requirements[{i}]"));
                    break;
            }
        }
        if (requirements.Count == 0)
        {
            var only = new JwtRequirement();
            if (allowFailed) only.AllowMissingOrFailed = new();
            else only.AllowMissing = new();
            requirements.Add(Requirement.Compile(only, providers, field));
        }
        return new AnyOf([.. requirements], allowMissing, allowFailed);
    }

    public override async ValueTask<JwtStatus> Verify(VerifyContext context)
    {
        var final = JwtStatus.JwtMissed;
        foreach (var requirement in _requirements)
        {
            var status = await requirement.Verify(context).ConfigureAwait(false);
            if (status == JwtStatus.Ok) return JwtStatus.Ok;
            if (status is not (JwtStatus.JwtMissed or JwtStatus.JwtUnknownIssuer) || final == JwtStatus.JwtMissed) final = status;
        }
        if (_allowFailed) return JwtStatus.Ok;
        if (_allowMissing && final == JwtStatus.JwtMissed) return JwtStatus.Ok;
        return final;
    }
}
