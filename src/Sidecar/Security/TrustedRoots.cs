using System.Security.Cryptography.X509Certificates;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Security;

/// <summary>The roots this sidecar trusts (from SDS <c>ROOTCA</c>, else the last certificate response, else
/// <c>--root-cert</c>), and the checks made with them: a peer's certificate chains to one of them and carries a
/// SPIFFE id of the mesh's trust domain.</summary>
public sealed class TrustedRoots(X509Certificate2Collection roots, string pem)
{
    public static TrustedRoots Empty { get; } = new([], "");

    public X509Certificate2Collection Roots => roots;

    public string Pem => pem;

    public static TrustedRoots FromPem(string pem)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(pem);
        return new TrustedRoots(roots, pem);
    }

    /// <summary>The peer's SPIFFE id when its chain (the leaf and what it presented) ends in one of these roots.</summary>
    /// <param name="intermediates">The mesh's intermediates this sidecar already holds: peers that present only their
    /// leaf (as .NET's client side does) still chain through them.</param>
    public SpiffeId? Verify(X509Certificate2? leaf, X509Chain? presented, X509Certificate2Collection? intermediates = null)
        => leaf is not null && Chains(leaf, presented, intermediates) ? SpiffeId.Of(leaf) : null;

    /// <summary>The chain ends in one of these roots (no identity required: the control plane's certificate).</summary>
    public bool Chains(X509Certificate2 leaf, X509Chain? presented, X509Certificate2Collection? intermediates = null)
        => CustomRootChain.Builds(leaf, roots, presented?.ChainElements.Select(e => e.Certificate), intermediates);
}
