using System.Collections.Concurrent;
using Mesh.Grains.Secrets;
using Mesh.Xds.Resources;
using Mesh.Xds.Translation;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Cache;

/// <summary>The gateway credentials as SDS resources: <c>kubernetes://NS/NAME</c> (and, granted to Gateways of other
/// namespaces, <c>kubernetes-gateway://NS/NAME</c>) from secret NAME's certificate and key, <c>kubernetes://NS/NAME-cacert</c> from NAME's <c>ca.crt</c>, else from secret NAME-cacert's (Istio's
/// companion). Each is translated once per change on this silo and pushed to the streams that watch it when a
/// credential is replaced or deleted. Who may have which is the stream's to check (<see cref="Security.CredentialEntitlement"/>).</summary>
internal sealed partial class SecretResources
{
    private static readonly TlsCredential None = new("", "", "");
    private readonly XdsResourceStore _store;
    private readonly SecretCache _credentials;
    private readonly ILogger _logger;
    // Resource names asked for on this silo: a change recomputes only those.
    private readonly ConcurrentDictionary<string, byte> _inUse = new(StringComparer.Ordinal);
    // Changes are recomputed one at a time, each from the newest credentials, so an older result never lands last.
    private readonly SemaphoreSlim _updating = new(1, 1);

    public SecretResources(XdsResourceStore store, SecretCache credentials, ILogger<SecretResources> logger)
    {
        _store = store;
        _credentials = credentials;
        _logger = logger;
        _credentials.Changed += key => _ = Task.Run(() => OnChanged(key));
    }

    public static bool Serves(string name) => SecretNames.TryParseCredential(name, out _, out _, out _);

    public async Task<XdsResource?> Get(string name)
    {
        if (!SecretNames.TryParseCredential(name, out var @namespace, out var secret, out var ca)) return null;
        _inUse.TryAdd(name, 0);
        var material = await Material(@namespace, secret, ca);
        return _store.Get((TypeUrls.Secret, name), material, () => Translate(name, material, ca));
    }

    /// <summary>What the resource is made of: a certificate and key, or a CA; <see cref="None"/> when there is none.</summary>
    private async Task<TlsCredential> Material(string @namespace, string secret, bool ca)
    {
        var own = await _credentials.Get(SecretKeys.Of(@namespace, secret));
        if (!ca) return own is { HasCertificate: true } ? own with { CaPem = "" } : None;
        if (own is { HasCa: true }) return None with { CaPem = own.CaPem };
        var companion = await _credentials.Get(SecretKeys.Of(@namespace, secret + SecretNames.CaSuffix));
        return companion is { HasCa: true } ? None with { CaPem = companion.CaPem } : None;
    }

    private static XdsResource? Translate(string name, TlsCredential material, bool ca) =>
        ca ? material.HasCa ? XdsResource.Of(TypeUrls.Secret, name, SecretTranslator.CredentialCaSecret(name, material.CaPem)) : null
        : material.HasCertificate ? XdsResource.Of(TypeUrls.Secret, name, SecretTranslator.CredentialSecret(name, material.CertificateChainPem, material.PrivateKeyPem)) : null;

    /// <summary>Secret <c>NS/N</c> changed: its own resource and the CA resource it may feed (as N, or as the companion
    /// of N without <c>-cacert</c>, which is the same name).</summary>
    private async Task OnChanged(string key)
    {
        var (@namespace, secret) = SecretKeys.Parse(key);
        await _updating.WaitAsync();
        try
        {
            var translated = new List<XdsResourceStore.Translated>();
            var names = new[]
            {
                SecretNames.Credential(@namespace, secret), SecretNames.CredentialCa(@namespace, secret),
                SecretNames.GrantedCredential(@namespace, secret), SecretNames.GrantedCredential(@namespace, secret + SecretNames.CaSuffix),
            };
            foreach (var name in names.Where(_inUse.ContainsKey))
            {
                SecretNames.TryParseCredential(name, out _, out var owner, out var ca);
                var material = await Material(@namespace, owner, ca);
                translated.Add(new((TypeUrls.Secret, name), material, Translate(name, material, ca)));
            }
            var changed = _store.Update(translated, new ChangeOrigin(DateTimeOffset.UtcNow, null));
            LogChanged(_logger, key, changed.Count);
        }
        catch (Exception exception)
        {
            LogFailed(_logger, key, exception);
        }
        finally
        {
            _updating.Release();
        }
    }

    [LoggerMessage(EventId = 5411, Level = LogLevel.Information, Message = "Gateway credential {Key} changed: {Changed} SDS resources in use here changed")]
    private static partial void LogChanged(ILogger logger, string key, int changed);

    [LoggerMessage(EventId = 5412, Level = LogLevel.Error, Message = "Translating the gateway credential {Key} again failed; its gateways keep the last one")]
    private static partial void LogFailed(ILogger logger, string key, Exception exception);
}
