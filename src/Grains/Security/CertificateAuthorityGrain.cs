using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mesh.Grains.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Orleans.Runtime;

namespace Mesh.Grains.Security;

/// <summary>The mesh's certificate authority. A generated root (and the token key) is created on first activation
/// and persisted before it is used, its private key encrypted with the silo's at-rest key; a user-supplied CA is
/// read from its folder on every activation and nothing of it is stored.</summary>
public sealed partial class CertificateAuthorityGrain(
    [PersistentState("ca", StorageNames.Mesh)] IPersistentState<CaState> state,
    IOptions<CertificateAuthorityOptions> options,
    TimeProvider time,
    ILogger<CertificateAuthorityGrain> logger) : Grain, ICertificateAuthorityGrain
{
    private const string RootPurpose = "mesh-ca-root";
    private const string TokenPurpose = "mesh-ca-token";
    private readonly CertificateAuthorityOptions _options = options.Value;
    private readonly KeyProtector _protector = new(options.Value.EncryptionKey);
    private SigningAuthority? _signer;
    private TrustBundle? _bundle;
    private ECDsa? _tokenKey;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_options.CertsDir is { Length: > 0 } folder)
        {
            var (signer, roots) = PluggedCa.Load(folder);
            _signer = signer;
            _bundle = Bundle(roots.Select(r => (r, signs: false, source: "cacerts")).ToList());
            LogLoaded(logger, "cacerts", folder, _bundle.Roots.Count);
        }
        else
        {
            if (state.State.Roots.Count == 0)
            {
                AddRoot(retirePrevious: false);
                await state.WriteStateAsync(cancellationToken);
                LogGenerated(logger, _options.KeyAlgorithm, _options.TrustDomain);
            }
            LoadGenerated();
        }
        if (state.State.TokenKey is null)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            state.State.TokenKey = new StoredKey
            {
                KeyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(),
                EncryptedKey = _protector.Protect(key.ExportPkcs8PrivateKey(), TokenPurpose),
            };
            await state.WriteStateAsync(cancellationToken);
        }
        _tokenKey = ECDsa.Create();
        _tokenKey.ImportPkcs8PrivateKey(_protector.Unprotect(state.State.TokenKey.EncryptedKey, TokenPurpose), out _);
    }

    public Task<IssuedCertificate> Issue(CertificateOrder order)
    {
        var (leaf, chainPem) = _signer!.Issue(order, time);
        using (leaf)
        {
            var serial = SigningAuthority.SerialHex(leaf);
            LogIssued(logger, order.SpiffeId ?? string.Join(',', order.DnsNames), serial, leaf.NotAfter.ToUniversalTime());
            return Task.FromResult(new IssuedCertificate(chainPem, _bundle!, serial,
                leaf.NotBefore.ToUniversalTime(), leaf.NotAfter.ToUniversalTime(), _signer.Certificate.Subject));
        }
    }

    public Task<TrustBundle> GetTrustBundle() => Task.FromResult(_bundle!);

    public async Task<TrustBundle> Rotate(bool retirePrevious)
    {
        if (_options.CertsDir is { Length: > 0 } folder)
        {
            throw new InvalidOperationException($"The CA is the one in {folder} (cacerts): rotate it by updating those files, then restart the silos.");
        }
        var before = state.State.Roots.Count;
        AddRoot(retirePrevious);
        await state.WriteStateAsync();
        LoadGenerated();
        LogRotated(logger, _bundle!.Roots[0].Fingerprint, retirePrevious ? before : 0, _bundle.Roots.Count);
        return _bundle;
    }

    public Task<string> CreateToken(TokenOrder order)
    {
        var lifetime = order.Lifetime <= TimeSpan.Zero || order.Lifetime > _options.MaxTokenLifetime ? _options.MaxTokenLifetime : order.Lifetime;
        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = BootstrapToken.Issuer,
            Audience = BootstrapToken.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", BootstrapToken.Subject(order.Namespace, order.ServiceAccount))]),
            IssuedAt = now,
            NotBefore = now.AddSeconds(-30),
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_tokenKey!) { KeyId = state.State.TokenKey!.KeyId }, SecurityAlgorithms.EcdsaSha256),
        };
        descriptor.Claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString("N") };
        LogTokenCreated(logger, order.Namespace, order.ServiceAccount, lifetime, order.RequestedBy);
        return Task.FromResult(new JsonWebTokenHandler().CreateToken(descriptor));
    }

    public Task<IReadOnlyList<TokenKey>> GetTokenKeys() =>
        Task.FromResult<IReadOnlyList<TokenKey>>([new TokenKey(state.State.TokenKey!.KeyId, _tokenKey!.ExportSubjectPublicKeyInfo())]);

    private void AddRoot(bool retirePrevious)
    {
        var (root, pkcs8) = SigningAuthority.NewRoot(_options.TrustDomain, _options.KeyAlgorithm, _options.RootLifetime, time);
        using (root)
        {
            if (retirePrevious) state.State.Roots.Clear();
            foreach (var previous in state.State.Roots) previous.Signing = false;
            state.State.Roots.Insert(0, new StoredRoot
            {
                CertificatePem = root.ExportCertificatePem(),
                EncryptedKey = _protector.Protect(pkcs8, RootPurpose),
                Signing = true,
                Algorithm = _options.KeyAlgorithm,
            });
        }
    }

    private void LoadGenerated()
    {
        var signing = state.State.Roots.First(r => r.Signing);
        var certificate = X509Certificate2.CreateFromPem(signing.CertificatePem);
        _signer?.Dispose();
        _signer = new SigningAuthority(SigningAuthority.WithKey(certificate, _protector.Unprotect(signing.EncryptedKey, RootPurpose)), []);
        _bundle = Bundle(state.State.Roots.Select(r => (X509Certificate2.CreateFromPem(r.CertificatePem), r.Signing, "generated")).ToList());
    }

    private TrustBundle Bundle(List<(X509Certificate2 Root, bool Signs, string Source)> roots)
    {
        var trusted = roots
            .OrderByDescending(r => r.Signs)
            .Select(r => new TrustedRoot(r.Root.ExportCertificatePem() + "\n", r.Root.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(),
                r.Root.Subject, r.Root.NotAfter.ToUniversalTime(), r.Signs, r.Source))
            .ToList();
        var version = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', trusted.Select(t => t.Fingerprint)))))[..16].ToLowerInvariant();
        foreach (var (root, _, _) in roots) root.Dispose();
        return new TrustBundle(_options.TrustDomain, trusted, version);
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Generated the mesh's root CA ({Algorithm}) for trust domain {TrustDomain}; its key is stored encrypted")]
    private static partial void LogGenerated(ILogger logger, string algorithm, string trustDomain);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Signing with the CA from {Source} {Folder} ({Roots} trusted roots)")]
    private static partial void LogLoaded(ILogger logger, string source, string folder, int roots);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "Issued a certificate for {Identity}, serial {Serial}, valid until {NotAfter:o}")]
    private static partial void LogIssued(ILogger logger, string identity, string serial, DateTime notAfter);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Rotated the root CA: now signing with {Fingerprint}; retired {Retired}, trusting {Trusted}")]
    private static partial void LogRotated(ILogger logger, string fingerprint, int retired, int trusted);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "Bootstrap token created for {Namespace}/{ServiceAccount}, valid {Lifetime}, by {RequestedBy}")]
    private static partial void LogTokenCreated(ILogger logger, string @namespace, string serviceAccount, TimeSpan lifetime, string requestedBy);
}
