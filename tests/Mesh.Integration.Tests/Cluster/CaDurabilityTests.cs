using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Security;

namespace Mesh.Integration.Tests.Cluster;

/// <summary>The certificate authority lives in grain storage on Redis (its keys encrypted): the whole cluster
/// SIGKILLed and started again keeps the same roots and the same token keys, so identities issued and tokens
/// minted before still verify.</summary>
public sealed class CaDurabilityTests : IDisposable
{
    private readonly RedisCluster _cluster = new();

    [Fact]
    public async Task The_ca_survives_a_restart_of_the_whole_cluster()
    {
        await _cluster.Redis.Start();
        await _cluster.StartSilos(2);
        var (before, token, firstLeaf) = await Issue(_cluster.Silos[0], _cluster.Silos[1], token: null);
        var rotated = await Security(_cluster.Silos[0]).RotateCaAsync(new RotateCaRequest());
        Assert.Equal(2, rotated.Roots.Count);

        foreach (var silo in _cluster.Silos) silo.Kill();
        _cluster.StopSilos();
        await _cluster.StartSilos(2);

        var after = await Security(_cluster.Silos[1]).GetCaAsync(new GetCaRequest());
        Assert.Equal(rotated.Roots.Select(r => r.Sha256Fingerprint).Order(), after.Roots.Select(r => r.Sha256Fingerprint).Order());
        Assert.Equal(rotated.BundleVersion, after.BundleVersion);
        // A token minted before the restart still entitles its bearer; the certificate chains to the same roots as
        // the one issued before.
        var (_, _, secondLeaf) = await Issue(_cluster.Silos[1], _cluster.Silos[0], token);
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(string.Concat(after.Roots.Select(r => r.Pem)));
        foreach (var leaf in new[] { firstLeaf, secondLeaf })
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            Assert.True(chain.Build(leaf), "a certificate from before or after the restart chains to the surviving roots");
        }
        Assert.Contains(before.Roots[0].Sha256Fingerprint, after.Roots.Select(r => r.Sha256Fingerprint));
    }

    private static SecurityService.SecurityServiceClient Security(Infrastructure.SiloProcess silo) => new(GrpcChannel.ForAddress(silo.ApiUrl));

    /// <summary>A workload certificate from <paramref name="issuer"/>'s secured port, with a token minted by
    /// <paramref name="minter"/> (or the one given).</summary>
    private static async Task<(CaInfo Ca, string Token, X509Certificate2 Leaf)> Issue(Infrastructure.SiloProcess minter, Infrastructure.SiloProcess issuer, string? token)
    {
        var ca = await Security(minter).GetCaAsync(new GetCaRequest());
        token ??= (await Security(minter).CreateTokenAsync(new CreateTokenRequest { Namespace = "shop", ServiceAccount = "web", TtlSeconds = 3600 })).Token;
        var (csr, _) = WorkloadCa.Csr(null);
        var response = await new WorkloadCa(issuer.SecureXdsPort, string.Concat(ca.Roots.Select(r => r.Pem))).Create(csr, token);
        Assert.Equal("spiffe://cluster.local/ns/shop/sa/web", response.SpiffeId);
        return (ca, token, X509Certificate2.CreateFromPem(response.CertChain[0]));
    }

    public void Dispose() => _cluster.Dispose();
}
