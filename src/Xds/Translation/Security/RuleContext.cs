namespace Mesh.Xds.Translation.Security;

/// <summary>What translating one AuthorizationPolicy rule needs, and where it reports what it could not express.</summary>
/// <param name="policyNamespace">Short service accounts (<c>sa</c> without <c>ns/</c>) are in this namespace.</param>
/// <param name="trustDomain">The mesh's trust domain, which principals written with Istio's default
/// <c>cluster.local</c> stand for.</param>
internal sealed class RuleContext(string policyNamespace, string trustDomain)
{
    public string PolicyNamespace { get; } = policyNamespace;

    public string TrustDomain { get; } = trustDomain;

    public List<string> Problems { get; } = [];

    /// <summary>Records why a value has no Envoy form and returns the empty list a translation then yields.</summary>
    public IReadOnlyList<T> Unmapped<T>(string problem)
    {
        Problems.Add(problem);
        return [];
    }
}
