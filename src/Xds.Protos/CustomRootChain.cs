using System.Security.Cryptography.X509Certificates;

namespace Mesh.Xds.Resources;

/// <summary>Chain building against the mesh's own roots (not the machine's store), the one check both the control
/// plane and the sidecar make of a peer's certificate.</summary>
public static class CustomRootChain
{
    /// <summary>Whether <paramref name="leaf"/> chains to one of <paramref name="roots"/>, through intermediates found
    /// among <paramref name="intermediates"/> (what the peer presented, the CA's own).</summary>
    public static bool Builds(X509Certificate2 leaf, X509Certificate2Collection roots, params IEnumerable<X509Certificate2>?[] intermediates)
    {
        if (roots.Count == 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        foreach (var certificates in intermediates)
        {
            foreach (var certificate in certificates ?? []) chain.ChainPolicy.ExtraStore.Add(certificate);
        }
        return chain.Build(leaf);
    }
}
