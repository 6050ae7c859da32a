using System.Net;
using Mesh.Grains.Security;
using Mesh.Silo.Security;
using Mesh.Xds.Security;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Admission;

/// <summary>The webhook port's server certificate: the webhook Service's DNS names (what the API server dials) and
/// loopback, from the mesh's CA, whose roots are the configurations' <c>caBundle</c> (<see cref="CaBundlePublisher"/>).</summary>
public sealed class AdmissionCertificate(
    IGrainFactory grains,
    TrustStore trust,
    IOptions<Hosting.MeshOptions> options,
    IOptions<CertificateAuthorityOptions> ca,
    ILogger<AdmissionCertificate> logger) : ServingCertificate(grains, trust, ca, logger)
{
    protected override string Purpose => "Admission webhook";

    protected override (List<string> Dns, List<string> Ips) Names()
    {
        var admission = options.Value.Admission;
        var ips = new List<string> { "127.0.0.1", "::1" };
        if (IPAddress.TryParse(admission.Address, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)) ips.Add(ip.ToString());
        if (Environment.GetEnvironmentVariable("POD_IP") is { } podIp && IPAddress.TryParse(podIp, out var pod)) ips.Add(pod.ToString());
        return ([.. admission.DnsNames.Distinct(StringComparer.OrdinalIgnoreCase)], [.. ips.Distinct()]);
    }
}
