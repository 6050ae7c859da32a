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
    private readonly List<(DateTimeOffset From, SigningAuthority Authority)> _generated = [];
    private TrustBundle? _bundle;
    private ECDsa? _tokenKey;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_options.CertsDir is { Length: > 0 } folder)
        {
            var (signer, roots) = PluggedCa.Load(folder);
            _signer = signer;
            _bundle = Bundle(roots.Select(r => (r, signs: false, source: "cacerts")).ToList()) with { IntermediatesPem = signer.ChainPem };
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
        var signer = order.FromOldestRoot && _generated.Count > 0 ? _generated[^1].Authority : Signer();
        var (leaf, chainPem) = signer.Issue(order, time);
        using (leaf)
        {
            var serial = SigningAuthority.SerialHex(leaf);
            LogIssued(logger, order.SpiffeId ?? string.Join(',', order.DnsNames), serial, leaf.NotAfter.ToUniversalTime());
            return Task.FromResult(new IssuedCertificate(chainPem, _bundle!, serial,
                leaf.NotBefore.ToUniversalTime(), leaf.NotAfter.ToUniversalTime(), signer.Certificate.Subject));
        }
    }

    public Task<TrustBundle> GetTrustBundle()
    {
        if (_generated.Count > 0 && !_bundle!.Roots.First(r => r.Signing).Fingerprint.Equals(Fingerprint(Signer().Certificate), StringComparison.Ordinal))
        {
            // A rotated-in root's grace has passed: it is the signing one now.
            _bundle = GeneratedBundle();
        }
        return Task.FromResult(_bundle!);
    }

    private static string Fingerprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant();

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
        using (var added = X509Certificate2.CreateFromPem(state.State.Roots[0].CertificatePem))
        {
            LogRotated(logger, Fingerprint(added), state.State.Roots[0].SigningFrom, retirePrevious ? before : 0, _bundle!.Roots.Count);
        }
        return _bundle;
    }

    public Task<IssuedToken> CreateToken(TokenOrder order)
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
        return Task.FromResult(new IssuedToken(new JsonWebTokenHandler().CreateToken(descriptor), descriptor.Expires.Value));
    }

    public Task<IReadOnlyList<TokenKey>> GetTokenKeys() =>
        Task.FromResult<IReadOnlyList<TokenKey>>([new TokenKey(state.State.TokenKey!.KeyId, _tokenKey!.ExportSubjectPublicKeyInfo())]);

    /// <summary>The newest generated root whose grace has passed (or the user's CA).</summary>
    private SigningAuthority Signer()
    {
        if (_generated.Count == 0) return _signer!;
        var now = time.GetUtcNow();
        return _generated.Where(g => g.From <= now).Select(g => g.Authority).FirstOrDefault() ?? _generated[^1].Authority;
    }

    private void AddRoot(bool retirePrevious)
    {
        var (root, pkcs8) = SigningAuthority.NewRoot(_options.TrustDomain, _options.KeyAlgorithm, _options.RootLifetime, time);
        using (root)
        {
            // A first root signs at once; a rotated-in one after the grace, unless nothing else is trusted any more.
            var signingFrom = state.State.Roots.Count == 0 || retirePrevious ? time.GetUtcNow() : time.GetUtcNow() + _options.RotationGrace;
            if (retirePrevious) state.State.Roots.Clear();
            state.State.Roots.Insert(0, new StoredRoot
            {
                CertificatePem = root.ExportCertificatePem(),
                EncryptedKey = _protector.Protect(pkcs8, RootPurpose),
                SigningFrom = signingFrom,
            });
        }
    }

    private void LoadGenerated()
    {
        foreach (var (_, authority) in _generated) authority.Dispose();
        _generated.Clear();
        foreach (var root in state.State.Roots.OrderByDescending(r => r.SigningFrom))
        {
            var certificate = X509Certificate2.CreateFromPem(root.CertificatePem);
            _generated.Add((root.SigningFrom, new SigningAuthority(SigningAuthority.WithKey(certificate, _protector.Unprotect(root.EncryptedKey, RootPurpose)), [])));
        }
        _bundle = GeneratedBundle();
    }

    /// <summary>Every stored root, the one <see cref="Signer"/> signs with marked.</summary>
    private TrustBundle GeneratedBundle()
    {
        var signing = Signer().Certificate.ExportCertificatePem();
        return Bundle(state.State.Roots.Select(r => (X509Certificate2.CreateFromPem(r.CertificatePem), r.CertificatePem == signing, "generated")).ToList());
    }

    private TrustBundle Bundle(List<(X509Certificate2 Root, bool Signs, string Source)> roots)
    {
        var trusted = roots
            .OrderByDescending(r => r.Signs)
            .Select(r => new TrustedRoot(r.Root.ExportCertificatePem() + "\n", Fingerprint(r.Root),
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

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Rotated the root CA: new root {Fingerprint} is trusted now and signs from {SigningFrom:o}; retired {Retired}, trusting {Trusted}")]
    private static partial void LogRotated(ILogger logger, string fingerprint, DateTimeOffset signingFrom, int retired, int trusted);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "Bootstrap token created for {Namespace}/{ServiceAccount}, valid {Lifetime}, by {RequestedBy}")]
    private static partial void LogTokenCreated(ILogger logger, string @namespace, string serviceAccount, TimeSpan lifetime, string requestedBy);
}
