using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.Grains.Security;
using Mesh.Silo.Hosting;
using Mesh.Xds.Security;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Security;

/// <summary>The secured xDS port's server certificate, issued by the mesh's own CA for the names proxies dial
/// (<c>localhost</c>, the host name, <c>--xds-server-name</c>s, loopback and the advertised address), renewed at
/// half-life and whenever the trust bundle changes.</summary>
public sealed partial class ControlPlaneCertificate(
    IGrainFactory grains,
    TrustStore trust,
    IOptions<MeshOptions> options,
    IOptions<CertificateAuthorityOptions> ca,
    ILogger<ControlPlaneCertificate> logger) : BackgroundService
{
    private volatile System.Net.Security.SslStreamCertificateContext? _context;
    private readonly SemaphoreSlim _renewNow = new(0);

    /// <summary>What TLS presents: the certificate with the CA's intermediates; null until the CA first answered
    /// (handshakes fail until then).</summary>
    public System.Net.Security.SslStreamCertificateContext? Context => _context;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        trust.Changed += _ => _renewNow.Release();
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var (certificate, intermediates) = await Issue();
                _context = System.Net.Security.SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
                wait = (certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow) / 2;
                LogIssued(logger, certificate.NotAfter.ToUniversalTime(), string.Join(',', Names().Dns));
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, exception);
                wait = TimeSpan.FromSeconds(2);
            }
            try
            {
                await _renewNow.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<(X509Certificate2 Certificate, X509Certificate2Collection Intermediates)> Issue()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (dns, ips) = Names();
        var issued = await grains.GetGrain<ICertificateAuthorityGrain>(ICertificateAuthorityGrain.Key)
            .Issue(new CertificateOrder(key.ExportSubjectPublicKeyInfo(), null, dns, ips, ca.Value.WorkloadLifetime) { FromOldestRoot = true });
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(issued.ChainPem);
        using var leaf = chain[0];
        chain.RemoveAt(0);
        return (leaf.CopyWithPrivateKey(key), chain);
    }

    private (List<string> Dns, List<string> Ips) Names()
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

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "Secured xDS server certificate issued for {Names}, valid until {NotAfter:o}")]
    private static partial void LogIssued(ILogger logger, DateTime notAfter, string names);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Could not issue the secured xDS server certificate; retrying")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
