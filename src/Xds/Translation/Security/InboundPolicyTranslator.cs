using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Mesh.Config.Kinds;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation.Security;

/// <summary>Istio security policy (AuthorizationPolicy, RequestAuthentication) → the HTTP filters of one sidecar
/// workload's inbound listener.</summary>
public static class InboundPolicyTranslator
{
    /// <param name="all">Every AuthorizationPolicy and RequestAuthentication known in the workload's namespace and the
    /// root namespace (others are ignored), in any order.</param>
    /// <param name="rootNamespace">Istio's mesh config root namespace, <see cref="Config.Views.Security.WorkloadPolicyScope.DefaultRootNamespace"/> unless configured.</param>
    /// <param name="trustDomain">The mesh's trust domain, e.g. <c>cluster.local</c>.</param>
    public static InboundHttpPolicy Translate(
        IReadOnlyList<ConfigSpec> all,
        string workloadNamespace,
        IReadOnlyDictionary<string, string> workloadLabels,
        string rootNamespace,
        string trustDomain)
    {
        var applicable = WorkloadPolicySelector.Select(all, workloadNamespace, workloadLabels, rootNamespace);
        var jwt = RequestAuthenticationTranslator.Translate(applicable.Where(IsKind(KindNames.RequestAuthentication)));
        var authorization = AuthorizationPolicyTranslator.Translate(applicable.Where(IsKind(KindNames.AuthorizationPolicy)), trustDomain);
        var filters = new List<HttpFilter>();
        if (jwt.Filter is { } jwtFilter) filters.Add(jwtFilter);
        filters.AddRange(authorization.Filters);
        return new InboundHttpPolicy(filters, [.. jwt.Warnings, .. authorization.Warnings]);
    }

    private static Func<ConfigSpec, bool> IsKind(string kind) => config => SecurityPolicy.KindOf(config) == kind;
}
