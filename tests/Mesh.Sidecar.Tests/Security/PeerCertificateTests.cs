using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.Sidecar.Security;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Tests.Security;

public sealed class PeerCertificateTests
{
    private const string By = "spiffe://cluster.local/ns/shop/sa/reviews";

    [Fact]
    public void The_peer_is_read_once_for_the_connection_and_every_request_sees_it()
    {
        using var certificate = Certificate(TestRequests.Peer);
        var peer = new PeerCertificate(certificate);
        var first = new DefaultHttpContext();
        first.Features.Set(peer);
        var second = new DefaultHttpContext();
        second.Features.Set(peer);

        Assert.Same(peer, PeerCertificate.Of(first));
        Assert.Same(peer, PeerCertificate.Of(second));
        Assert.Equal(TestRequests.Peer, peer.Principal);
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(), peer.Hash);
    }

    [Fact]
    public void The_forwarded_client_cert_names_this_workload_the_hash_and_the_peer()
    {
        using var certificate = Certificate(TestRequests.Peer);
        var peer = new PeerCertificate(certificate);

        Assert.Equal($"By={By};Hash={peer.Hash};URI={TestRequests.Peer}", peer.ForwardedClientCert(By));
        Assert.Equal($"By=;Hash={peer.Hash};URI={TestRequests.Peer}", peer.ForwardedClientCert(""));
    }

    [Fact]
    public void A_certificate_without_a_SPIFFE_id_is_no_principal_and_forwards_nothing()
    {
        using var certificate = Certificate(null);
        var peer = new PeerCertificate(certificate);

        Assert.Null(peer.Principal);
        Assert.Null(peer.ForwardedClientCert(By));
    }

    [Fact]
    public void A_client_certificate_without_the_connection_feature_is_read_for_the_request()
    {
        using var certificate = Certificate(TestRequests.Peer);
        var context = new DefaultHttpContext();
        context.Connection.ClientCertificate = certificate;

        Assert.Equal(TestRequests.Peer, PeerCertificate.Of(context)?.Principal);
        Assert.Null(PeerCertificate.Of(new DefaultHttpContext()));
    }

    private static X509Certificate2 Certificate(string? spiffeId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=peer", key, HashAlgorithmName.SHA256);
        if (spiffeId is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddUri(new Uri(spiffeId));
            request.CertificateExtensions.Add(names.Build());
        }
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
    }
}
