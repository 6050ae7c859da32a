using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Mesh.Xds.Resources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Security;

/// <summary>The sidecar's workload identity: it makes its own key (which never leaves this process), sends a CSR to
/// the control plane with its credential (the bootstrap token first, its current certificate afterwards), and
/// renews at half-life, swapping the certificate in without touching open connections. Also holds the trust
/// bundle: SDS <c>ROOTCA</c> once it arrives, else the last certificate response, else <c>--root-cert</c>.</summary>
public sealed partial class WorkloadIdentity(SidecarOptions options, ConfigStore store, ILogger<WorkloadIdentity> logger) : BackgroundService
{
    private static readonly TimeSpan RetryFirst = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(10);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile WorkloadCertificate? _current;
    private volatile TrustedRoots _fromCa = TrustedRoots.Empty;
    private TrustedRoots? _fromFile;

    /// <summary>The current certificate; null before the first one (and always, without <c>--token-file</c>).</summary>
    public WorkloadCertificate? Current => _current;

    /// <summary>The roots to check peers and the control plane against.</summary>
    public TrustedRoots Trust => store.Current.TrustedRoots ?? (_fromCa.Roots.Count > 0 ? _fromCa : _fromFile ??= FileRoots());

    /// <summary>A peer's SPIFFE id when its certificate chains to the mesh's roots (through our own intermediates if it
    /// sent none), else null.</summary>
    public SpiffeId? VerifyPeer(X509Certificate2? leaf, X509Chain? presented) => Trust.Verify(leaf, presented, _current?.Intermediates);

    /// <summary>Completes when the first certificate is in hand.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Raised after each new certificate. Handlers must not block.</summary>
    public event Action<WorkloadCertificate>? Renewed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Secured) return;
        var failures = 0;
        var server = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            var address = options.XdsServers[server % options.XdsServers.Count];
            try
            {
                var issued = await Request(address, stoppingToken);
                var previous = _current;
                _current = issued;
                failures = 0;
                _ready.TrySetResult();
                LogIssued(logger, issued.Identity.ToString(), issued.NotAfter, previous is null ? "token" : "certificate");
                Renewed?.Invoke(issued);
                wait = (issued.NotAfter - DateTimeOffset.UtcNow) / 2;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failures++;
                server++;
                var ceiling = Math.Min(RetryMax.TotalMilliseconds, RetryFirst.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 10)));
                wait = TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
                LogFailed(logger, address, exception is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : exception.Message, wait);
            }
            try
            {
                await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<WorkloadCertificate> Request(string server, CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        var trustDomain = _current?.Identity.TrustDomain ?? "cluster.local";
        names.AddUri(new Uri(new SpiffeId(trustDomain, options.Namespace, options.ServiceAccount).ToString()));
        request.CertificateExtensions.Add(names.Build());
        var csr = request.CreateSigningRequestPem();

        var headers = new Metadata { { MeshIdentity.NodeIdHeader, options.NodeId } };
        // A certificate that is still valid (and still trusted) authenticates the renewal; otherwise the token does.
        if (_current is not { } current || current.NotAfter <= DateTimeOffset.UtcNow.AddSeconds(1) || VerifyPeer(current.Leaf, null) is null)
        {
            headers.Add("authorization", $"Bearer {(await File.ReadAllTextAsync(options.TokenFile!, cancellationToken)).Trim()}");
        }
        using var channel = new ControlPlaneChannel(options, this).Open(server);
        var client = new CertificateService.CertificateServiceClient(channel);
        var response = await client.CreateCertificateAsync(new CreateCertificateRequest
        {
            Csr = csr,
            ValiditySeconds = (long)(options.CertLifetime?.TotalSeconds ?? 0),
        }, new CallOptions(headers, DateTime.UtcNow.AddSeconds(15), cancellationToken));

        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(string.Concat(response.CertChain));
        if (chain.Count == 0) throw new InvalidOperationException("the control plane returned no certificate");
        using var leafOnly = chain[0];
        var leaf = leafOnly.CopyWithPrivateKey(key);
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++) intermediates.Add(chain[i]);
        var bundle = TrustedRoots.FromPem(string.Concat(response.TrustBundle));
        if (!SpiffeId.TryParse(response.SpiffeId, out var identity) || bundle.Verify(leaf, null, intermediates) is not { } verified || verified != identity)
        {
            throw new InvalidOperationException($"the certificate the control plane returned does not verify as {response.SpiffeId} against its trust bundle");
        }
        _fromCa = bundle;
        return new WorkloadCertificate(leaf, intermediates, identity);
    }

    private TrustedRoots FileRoots() => options.RootCertFile is { } file && File.Exists(file) ? TrustedRoots.FromPem(File.ReadAllText(file)) : TrustedRoots.Empty;

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Workload certificate for {Identity} issued, valid until {NotAfter:o} (authenticated by {Credential})")]
    private static partial void LogIssued(ILogger logger, string identity, DateTimeOffset notAfter, string credential);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Could not get a workload certificate from {Server}: {Error}; retrying in {Wait}")]
    private static partial void LogFailed(ILogger logger, string server, string error, TimeSpan wait);
}
