using System.Net;
using Mesh.Grains.Security;
using Mesh.Silo.Hosting;
using Mesh.Xds.Security;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Security;

/// <summary>The secured xDS port's server certificate, for the names proxies dial (<c>localhost</c>, the host name,
/// <c>--xds-server-name</c>s, loopback and the advertised address).</summary>
public sealed class ControlPlaneCertificate(
    IGrainFactory grains,
    TrustStore trust,
    IOptions<MeshOptions> options,
    IOptions<CertificateAuthorityOptions> ca,
    ILogger<ControlPlaneCertificate> logger) : ServingCertificate(grains, trust, ca, logger)
{
    protected override string Purpose => "Secured xDS";

    protected override (List<string> Dns, List<string> Ips) Names()
    {
        var mesh = options.Value;
        var dns = new List<string> { "localhost", "mesh-control-plane", Dns.GetHostName() };
        dns.AddRange(mesh.Xds.ServerNames.Where(n => n.Length > 0));
        var ips = new List<string> { "127.0.0.1", "::1" };
        foreach (var address in new[] { mesh.AdvertisedAddress, mesh.Xds.SecureAddress })
        {
            if (IPAddress.TryParse(address, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)) ips.Add(ip.ToString());
        }
        return ([.. dns.Distinct(StringComparer.OrdinalIgnoreCase)], [.. ips.Distinct()]);
    }
}
