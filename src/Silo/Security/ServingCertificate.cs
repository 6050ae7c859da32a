using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.Grains.Security;
using Mesh.Xds.Security;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Security;

/// <summary>A TLS server certificate of the silo's, issued by the mesh's own CA for the names a subclass gives,
/// renewed at half-life and whenever the trust bundle changes (so that it always chains to a root clients trust).</summary>
public abstract partial class ServingCertificate(
    IGrainFactory grains,
    TrustStore trust,
    IOptions<CertificateAuthorityOptions> ca,
    ILogger logger) : BackgroundService
{
    private volatile SslStreamCertificateContext? _context;
    private readonly SemaphoreSlim _renewNow = new(0);

    /// <summary>What TLS presents: the certificate with the CA's intermediates; null until the CA first answered
    /// (handshakes fail until then).</summary>
    public SslStreamCertificateContext? Context => _context;

    /// <summary>What the certificate serves, for the log: "Secured xDS", "Admission webhook".</summary>
    protected abstract string Purpose { get; }

    /// <summary>The DNS names and IP addresses clients dial.</summary>
    protected abstract (List<string> Dns, List<string> Ips) Names();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        trust.Changed += _ => _renewNow.Release();
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var (certificate, intermediates) = await Issue();
                _context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
                wait = (certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow) / 2;
                LogIssued(logger, Purpose, certificate.NotAfter.ToUniversalTime(), string.Join(',', Names().Dns));
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, Purpose, exception);
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

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "{Purpose} server certificate issued for {Names}, valid until {NotAfter:o}")]
    private static partial void LogIssued(ILogger logger, string purpose, DateTime notAfter, string names);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Could not issue the {Purpose} server certificate; retrying")]
    private static partial void LogFailed(ILogger logger, string purpose, Exception exception);
}
