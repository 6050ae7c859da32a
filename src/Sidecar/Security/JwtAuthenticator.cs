using Mesh.Xds.Resources;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Security.Jwt;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Security;

/// <summary>Envoy's <c>envoy.filters.http.jwt_authn</c> filter, compiled from its <c>JwtAuthentication</c> config:
/// the first rule whose match fits the request decides which tokens are required; verified tokens change the
/// request (token removed, payload and claim headers) and produce dynamic metadata. Thread-safe; the only state it
/// keeps is the remote JWKS cache.</summary>
public sealed class JwtAuthenticator
{
    private static readonly IReadOnlyDictionary<string, Struct> NoMetadata = new Dictionary<string, Struct>();

    private readonly (RuleMatch Match, Requirement Requirement)[] _rules;
    private readonly bool _bypassCorsPreflight;
    private readonly bool _stripFailureResponse;
    private readonly TimeProvider _time;

    private JwtAuthenticator((RuleMatch, Requirement)[] rules, JwtAuthentication config, TimeProvider time)
    {
        _rules = rules;
        _bypassCorsPreflight = config.BypassCorsPreflight;
        _stripFailureResponse = config.StripFailureResponse;
        _time = time;
    }

    /// <exception cref="JwtCompileException">A field mesh-sidecar cannot enforce as Envoy would: reject the whole
    /// config.</exception>
    public static JwtAuthenticator Compile(JwtAuthentication config, JwtAuthenticatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new JwtAuthenticatorOptions();
        if (config.FilterStateRules is not null) throw new JwtCompileException("filter_state_rules", "is not supported");
        var providers = config.Providers.ToDictionary(entry => entry.Key, entry => Provider.Compile(entry.Key, entry.Value, options));
        var named = config.RequirementMap.ToDictionary(
            entry => entry.Key, entry => Requirement.Compile(entry.Value, providers, $"requirement_map[\"{entry.Key}\"]"));
        var rules = config.Rules.Select((rule, i) => CompileRule(rule, $"rules[{i}]", providers, named)).ToArray();
        return new JwtAuthenticator(rules, config, options.Time);
    }

    private static (RuleMatch, Requirement) CompileRule(
        RequirementRule rule, string field, IReadOnlyDictionary<string, Provider> providers, IReadOnlyDictionary<string, Requirement> named)
    {
        var requirement = rule.RequirementTypeCase switch
        {
            RequirementRule.RequirementTypeOneofCase.Requires => Requirement.Compile(rule.Requires, providers, $"{field}.requires"),
            RequirementRule.RequirementTypeOneofCase.RequirementName => named.TryGetValue(rule.RequirementName, out var found) ? found
                : throw new JwtCompileException($"{field}.requirement_name", $"\"{rule.RequirementName}\" is not in requirement_map"),
            _ => Requirement.Compile(null, providers, field),
        };
        return (RuleMatch.Compile(rule.Match, $"{field}.match"), requirement);
    }

    /// <summary>Authenticates the request, changing its headers (and query) as Envoy would when tokens verify.</summary>
    public async ValueTask<JwtResult> Authenticate(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_rules.Length == 0 || (_bypassCorsPreflight && IsCorsPreflight(request))) return JwtResult.Pass;
        var facts = RequestFacts.From(request.HttpContext, null, NoMetadata);
        var requirement = _rules.FirstOrDefault(rule => rule.Match.Matches(facts)).Requirement;
        if (requirement is null) return JwtResult.Pass;

        var context = new VerifyContext(request, _time, cancellationToken);
        var status = await requirement.Verify(context).ConfigureAwait(false);
        return status == JwtStatus.Ok ? Allowed(context) : Denied(status, facts);
    }

    private static JwtResult Allowed(VerifyContext context)
    {
        var metadata = new Dictionary<string, Struct>();
        if (context.ExtractedData.Fields.Count > 0) metadata[EnvoyFilters.JwtAuthn] = context.ExtractedData;
        var verified = context.FirstVerified;
        if (verified is not null) metadata[AuthnMetadataKeys.Filter] = IstioAuthn.From(verified);
        return new JwtResult
        {
            Allowed = true,
            Principal = verified is null ? null : IstioAuthn.Principal(verified),
            VerifiedPayload = verified?.Payload,
            Metadata = metadata.Count == 0 ? NoMetadata : metadata,
            ClearRouteCache = context.ClearRouteCache,
        };
    }

    private JwtResult Denied(JwtStatus status, RequestFacts facts)
    {
        var message = status.Message();
        var challenge = $"Bearer realm=\"{facts.Scheme}://{facts.Authority}{facts.Path}\"" + (status == JwtStatus.JwtMissed ? "" : ", error=\"invalid_token\"");
        return new JwtResult
        {
            Allowed = false,
            StatusCode = status == JwtStatus.JwtAudienceNotAllowed ? 403 : 401,
            Message = message,
            ResponseBody = _stripFailureResponse ? null : message,
            WwwAuthenticate = _stripFailureResponse ? null : challenge,
            ResponseCodeDetails = $"jwt_authn_access_denied{{{message.Replace(' ', '_')}}}",
        };
    }

    private static bool IsCorsPreflight(HttpRequest request)
        => HttpMethods.IsOptions(request.Method)
            && !string.IsNullOrEmpty(request.Headers.Origin)
            && !string.IsNullOrEmpty(request.Headers.AccessControlRequestMethod);
}
