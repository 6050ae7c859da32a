using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.Grains.Security;
using Mesh.Xds.Resources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Mesh.Xds.Security;

/// <summary>This silo's copy of what the certificate authority trusts: the root bundle (to check client
/// certificates and to serve as <c>ROOTCA</c>) and the bootstrap-token keys. Refreshed from the CA grain every few
/// seconds, so a rotation reaches every silo, and every proxy, within that.</summary>
public sealed partial class TrustStore(IGrainFactory grains, ILogger<TrustStore> logger) : BackgroundService
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(3);
    private volatile Snapshot? _current;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised when the set of trusted roots changes. Handlers must not block.</summary>
    public event Action<TrustBundle>? Changed;

    /// <summary>The current bundle, waiting for the first read of it.</summary>
    public async Task<TrustBundle> Bundle(CancellationToken cancellationToken = default)
    {
        await _ready.Task.WaitAsync(cancellationToken);
        return _current!.Bundle;
    }

    public async Task<IReadOnlyList<SecurityKey>> TokenKeys(CancellationToken cancellationToken)
    {
        await _ready.Task.WaitAsync(cancellationToken);
        return _current!.TokenKeys;
    }

    /// <summary>The SPIFFE identity of a client certificate that chains to a trusted root, or null.</summary>
    public SpiffeId? Verify(X509Certificate2 certificate)
    {
        if (_current is not { } snapshot) return null;
        if (!CustomRootChain.Builds(certificate, snapshot.Roots, snapshot.Intermediates)) return null;
        return SpiffeId.Of(certificate) is { } id && id.TrustDomain == snapshot.Bundle.TrustDomain ? id : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Refresh();
                await Task.Delay(RefreshEvery, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogRefreshFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Reads the CA now (at start, and after a rotation made on this silo).</summary>
    public async Task Refresh()
    {
        var ca = grains.GetGrain<ICertificateAuthorityGrain>(ICertificateAuthorityGrain.Key);
        var bundle = await ca.GetTrustBundle();
        var previous = _current;
        if (previous is not null && previous.Bundle.Version == bundle.Version) return;
        var keys = await ca.GetTokenKeys();
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(bundle.Pem);
        var intermediates = new X509Certificate2Collection();
        if (bundle.IntermediatesPem.Length > 0) intermediates.ImportFromPem(bundle.IntermediatesPem);
        _current = new Snapshot(bundle, roots, intermediates, [.. keys.Select(Key)]);
        _ready.TrySetResult();
        if (previous is not null)
        {
            LogBundleChanged(logger, previous.Bundle.Version, bundle.Version, bundle.Roots.Count);
            Changed?.Invoke(bundle);
        }
    }

    private static SecurityKey Key(TokenKey key)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.PublicKey, out _);
        return new ECDsaSecurityKey(ecdsa) { KeyId = key.KeyId };
    }

    private sealed record Snapshot(TrustBundle Bundle, X509Certificate2Collection Roots, X509Certificate2Collection Intermediates, IReadOnlyList<SecurityKey> TokenKeys);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Could not read the certificate authority's trust bundle; retrying")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "The trust bundle changed ({Before} -> {After}, {Roots} roots); pushing ROOTCA to proxies")]
    private static partial void LogBundleChanged(ILogger logger, string before, string after, int roots);
}
