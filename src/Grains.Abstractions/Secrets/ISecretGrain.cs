using Mesh.Grains.Subscriptions;

namespace Mesh.Grains.Secrets;

/// <summary>One TLS credential a gateway serves (key <c>namespace/name</c>, as a Gateway's <c>credentialName</c>
/// resolves in the gateway's namespace). Its private key is kept encrypted at rest and leaves the grain only for the
/// silos' xDS front-ends (<see cref="GetCredential"/>); everything shown to users is <see cref="SecretInfo"/>.
/// Subscribers hear of a replacement or deletion (a rotation reaches the gateways over SDS).</summary>
[Alias("mesh.ISecretGrain")]
public interface ISecretGrain : ISubscribable<ISecretObserver>
{
    /// <summary>Creates or replaces the credential once it is valid; nothing is stored otherwise.</summary>
    [Alias("Put")] Task<SecretPut> Put(TlsCredential credential);

    /// <summary>What the credential is, never its key; null when there is none.</summary>
    [Alias("Get")] Task<SecretInfo?> Get();

    /// <summary>The PEM material, for the xDS front-end only; null when there is none.</summary>
    [Alias("GetCredential")] Task<TlsCredential?> GetCredential();

    /// <summary>What was deleted; null when there was nothing.</summary>
    [Alias("Delete")] Task<SecretInfo?> Delete();
}

/// <summary>Told when a credential is replaced or deleted; implemented by each silo's xDS front-end.</summary>
[Alias("mesh.ISecretObserver")]
public interface ISecretObserver : IGrainObserver
{
    /// <param name="credential">The new material; null once deleted.</param>
    [Orleans.Concurrency.OneWay, Alias("OnSecretChanged")] Task OnSecretChanged(string key, TlsCredential? credential);
}
