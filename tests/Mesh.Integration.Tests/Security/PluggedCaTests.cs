using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Mesh.Api.V1;

namespace Mesh.Integration.Tests.Security;

/// <summary>The mesh signing with a CA the user supplies, in Istio's <c>cacerts</c> layout: a root kept offline and an
/// intermediate that signs workloads. Nothing of it is generated or stored.</summary>
public sealed class PluggedCaMesh() : SecureMesh(["--ca-certs-dir", Folder.Value])
{
    private static readonly Lazy<string> Folder = new(Write);

    public static X509Certificate2 Root { get; private set; } = null!;
    public static X509Certificate2 Intermediate { get; private set; } = null!;

    /// <summary>Only the two clients and web are needed; the default 20 s lifetime exercises renewal through the intermediate.</summary>
    private static string Write()
    {
        var folder = Directory.CreateTempSubdirectory("mesh-cacerts-").FullName;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("O=Example Corp, CN=Example Root CA", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        Root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=Example Corp, CN=Mesh Intermediate CA", intermediateKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        using var signed = request.Create(Root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2), [1, 2, 3, 4]);
        Intermediate = X509CertificateLoader.LoadCertificate(signed.RawData);
        File.WriteAllText(Path.Combine(folder, "ca-cert.pem"), Intermediate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "ca-key.pem"), intermediateKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(folder, "root-cert.pem"), Root.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "cert-chain.pem"), Intermediate.ExportCertificatePem() + "\n" + Root.ExportCertificatePem());
        return folder;
    }
}

public class PluggedCaTests(PluggedCaMesh mesh) : IClassFixture<PluggedCaMesh>
{
    [Fact]
    public async Task Workloads_get_identities_from_the_users_intermediate_and_talk_mtls_through_it()
    {
        var ca = await mesh.Security.GetCaAsync(new GetCaRequest());
        var root = Assert.Single(ca.Roots);
        Assert.Equal("cacerts", root.Source);
        Assert.Equal(PluggedCaMesh.Root.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(), root.Sha256Fingerprint);

        var reply = await mesh.Send(mesh.Frontend, "/echo");
        Assert.Equal(200, reply.Status);
        Assert.Contains("URI=spiffe://cluster.local/ns/shop/sa/frontend", SecureMesh.Echo(reply)["x-forwarded-client-cert"]!.GetValue<string>());
        var certs = await mesh.Web.Admin("/certs");
        Assert.Equal(PluggedCaMesh.Intermediate.Subject, certs["issuer"]!.GetValue<string>());

        // The user's CA is rotated by replacing its files, not through the API.
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await mesh.Security.RotateCaAsync(new RotateCaRequest()));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("cacerts", refused.Status.Detail);
    }
}
