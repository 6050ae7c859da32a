using System.Text;
using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Grains.GatewayApi;
using Mesh.Grains.Security;
using Mesh.Grains.Storage;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Mesh.Grains.Secrets;

/// <summary>One gateway credential. Stored before it is listed or pushed: the grain writes itself, then its
/// namespace's directory, then tells the subscribed silos and the Gateway API grain (whose Gateways' certificate
/// references it may resolve); a failure past the first write fails the call, and the caller's retry (create-or-replace
/// and delete are idempotent) completes it.</summary>
[Orleans.Placement.RandomPlacement]
public sealed partial class SecretGrain : Grain, ISecretGrain
{
    private readonly IPersistentState<SecretState> _state;
    private readonly KeyProtector _protector;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Subscribers<ISecretObserver> _observers;

    public SecretGrain(
        [PersistentState("secret", StorageNames.Mesh)] IPersistentState<SecretState> state,
        IOptions<CertificateAuthorityOptions> ca,
        IOptions<ChangeFeedOptions> feed,
        TimeProvider time,
        ILogger<SecretGrain> logger)
    {
        _state = state;
        _protector = new KeyProtector(ca.Value.EncryptionKey);
        _time = time;
        _logger = logger;
        _observers = new Subscribers<ISecretObserver>(feed.Value.SubscriptionExpiry, logger);
    }

    private string Key => this.GetPrimaryKeyString();

    /// <summary>Bound into the ciphertext: a key stored for one credential does not open as another's.</summary>
    private string Purpose => $"mesh-secret {Key}";

    public async Task<SecretPut> Put(TlsCredential credential)
    {
        var (@namespace, name) = SecretKeys.Parse(Key);
        var (inspected, problems) = TlsCredentialInspector.Inspect(@namespace, name, credential);
        if (inspected is null) return new SecretPut(null, problems, Created: false);
        var previous = _state.State.Info;
        var now = _time.GetUtcNow();
        var info = inspected with
        {
            Created = previous?.Created ?? now,
            Updated = now,
            Version = (previous?.Version ?? 0) + 1,
        };
        _state.State.Info = info;
        _state.State.CertificateChainPem = credential.CertificateChainPem;
        _state.State.EncryptedKey = credential.PrivateKeyPem.Length == 0 ? [] : _protector.Protect(Encoding.UTF8.GetBytes(credential.PrivateKeyPem), Purpose);
        _state.State.CaPem = credential.CaPem;
        await _state.WriteOrReread(s => s.WriteStateAsync(), DeactivateOnIdle);
        await Directory(@namespace).Set(info);
        await GrainFactory.GetGrain<ISecretDirectoryGrain>(ISecretDirectoryGrain.Namespaces).AddNamespace(@namespace);
        LogStored(_logger, Key, info.Version, info.Sha256Fingerprint, info.NotAfter);
        await _observers.Notify(observer => observer.OnSecretChanged(Key, credential));
        await GatewayApi.SecretsChanged(@namespace);
        return new SecretPut(info, [], Created: previous is null);
    }

    public Task<SecretInfo?> Get() => Task.FromResult(_state.State.Info);

    public Task<TlsCredential?> GetCredential()
    {
        var stored = _state.State;
        if (stored.Info is null) return Task.FromResult<TlsCredential?>(null);
        var key = stored.EncryptedKey.Length == 0 ? "" : Encoding.UTF8.GetString(_protector.Unprotect(stored.EncryptedKey, Purpose));
        return Task.FromResult<TlsCredential?>(new TlsCredential(stored.CertificateChainPem, key, stored.CaPem));
    }

    public async Task<SecretInfo?> Delete()
    {
        var (@namespace, name) = SecretKeys.Parse(Key);
        var deleted = _state.State.Info;
        if (deleted is not null) await _state.WriteOrReread(s => s.ClearStateAsync(), DeactivateOnIdle);
        // Also when there was nothing here: a retried delete whose first attempt failed after clearing.
        await Directory(@namespace).Remove(name);
        if (deleted is not null)
        {
            LogDeleted(_logger, Key, deleted.Version);
            await _observers.Notify(observer => observer.OnSecretChanged(Key, null));
        }
        // Also when there was nothing here, for the same reason.
        await GatewayApi.SecretsChanged(@namespace);
        return deleted;
    }

    public Task<Subscription> Subscribe(ISecretObserver observer) => _observers.Subscribe(observer);

    public Task Unsubscribe(ISecretObserver observer) => _observers.Unsubscribe(observer);

    /// <summary>Told last, so a rotation reaches the gateways without waiting on the Gateway API's conversion.</summary>
    private IGatewayApiGrain GatewayApi => GrainFactory.GetGrain<IGatewayApiGrain>(IGatewayApiGrain.Key);

    private ISecretDirectoryGrain Directory(string @namespace) => GrainFactory.GetGrain<ISecretDirectoryGrain>(@namespace);

    [LoggerMessage(EventId = 1351, Level = LogLevel.Information, Message = "Stored gateway credential {Key}, version {Version}, certificate {Fingerprint} valid until {NotAfter:o}")]
    private static partial void LogStored(ILogger logger, string key, long version, string fingerprint, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 1352, Level = LogLevel.Information, Message = "Deleted gateway credential {Key} (version {Version})")]
    private static partial void LogDeleted(ILogger logger, string key, long version);
}
