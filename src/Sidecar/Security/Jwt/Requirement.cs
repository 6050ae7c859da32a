using Envoy.Extensions.Filters.Http.JwtAuthn.V3;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>A compiled <c>JwtRequirement</c>: what a request must show, checked against the request in
/// <see cref="VerifyContext"/>. Its status is Ok or the failure Envoy would answer with.</summary>
internal abstract class Requirement
{
    public abstract ValueTask<JwtStatus> Verify(VerifyContext context);

    public static Requirement Compile(JwtRequirement? requirement, IReadOnlyDictionary<string, Provider> providers, string field)
    {
        if (requirement is null) return new AllowAll();
        var all = providers.Values.ToArray();
        switch (requirement.RequiresTypeCase)
        {
            case JwtRequirement.RequiresTypeOneofCase.ProviderName:
                return new OneProvider(Find(providers, requirement.ProviderName, $"{field}.provider_name"), null, all);
            case JwtRequirement.RequiresTypeOneofCase.ProviderAndAudiences:
                var named = requirement.ProviderAndAudiences;
                var audiences = named.Audiences.Count > 0 ? new AudienceCheck(named.Audiences) : null;
                return new OneProvider(Find(providers, named.ProviderName, $"{field}.provider_and_audiences.provider_name"), audiences, all);
            case JwtRequirement.RequiresTypeOneofCase.RequiresAny:
                return AnyOf.Compile(requirement.RequiresAny.Requirements, providers, $"{field}.requires_any");
            case JwtRequirement.RequiresTypeOneofCase.RequiresAll:
                var list = requirement.RequiresAll.Requirements;
                if (list.Count < 2) throw new JwtCompileException($"{field}.requires_all.requirements", "needs at least 2 requirements");
                return new AllOf(list.Select((r, i) => Compile(r, providers, $"{field}.requires_all.requirements[{i}]")).ToArray());
            case JwtRequirement.RequiresTypeOneofCase.AllowMissingOrFailed:
                return new AnyProvider(all, allowFailed: true);
            case JwtRequirement.RequiresTypeOneofCase.AllowMissing:
                return new AnyProvider(all, allowFailed: false);
            default:
                return new AllowAll();
        }
    }

    private static Provider Find(IReadOnlyDictionary<string, Provider> providers, string name, string field)
        => providers.TryGetValue(name, out var provider) ? provider : throw new JwtCompileException(field, $"provider \"{name}\" is not configured");

    /// <summary>No requirement: every request passes, token or not.</summary>
    private sealed class AllowAll : Requirement
    {
        public override ValueTask<JwtStatus> Verify(VerifyContext context) => ValueTask.FromResult(JwtStatus.Ok);
    }

    /// <summary>A token of one provider, from that provider's locations, is required.</summary>
    private sealed class OneProvider(Provider provider, AudienceCheck? audiences, IReadOnlyList<Provider> all) : Requirement
    {
        private readonly TokenExtractor _extractor = new([provider]);
        private readonly TokenAuthenticator _authenticator = new(provider, audiences, all, allowFailed: false, allowMissing: false);

        public override ValueTask<JwtStatus> Verify(VerifyContext context)
        {
            _extractor.Sanitize(context.Request);
            return _authenticator.Verify(context, _extractor.Extract(context.Request));
        }
    }

    /// <summary>allow_missing or allow_missing_or_failed on its own: tokens at any provider's locations are checked
    /// against the provider of their issuer; no token passes, and with allow_missing_or_failed so does a bad one.</summary>
    private sealed class AnyProvider(IReadOnlyList<Provider> all, bool allowFailed) : Requirement
    {
        private readonly TokenExtractor _extractor = new(all);
        private readonly TokenAuthenticator _authenticator = new(null, null, all, allowFailed, allowMissing: true);

        public override ValueTask<JwtStatus> Verify(VerifyContext context)
        {
            _extractor.Sanitize(context.Request);
            return _authenticator.Verify(context, _extractor.Extract(context.Request));
        }
    }

    /// <summary>Every requirement, in order; the first failure is the answer.</summary>
    private sealed class AllOf(Requirement[] requirements) : Requirement
    {
        public override async ValueTask<JwtStatus> Verify(VerifyContext context)
        {
            foreach (var requirement in requirements)
            {
                var status = await requirement.Verify(context).ConfigureAwait(false);
                if (status != JwtStatus.Ok) return status;
            }
            return JwtStatus.Ok;
        }
    }
}
