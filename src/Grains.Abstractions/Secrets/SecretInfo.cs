namespace Mesh.Grains.Secrets;

/// <summary>What a stored credential is, as users may see it: never its key nor its PEM.</summary>
[GenerateSerializer, Immutable, Alias("mesh.SecretInfo")]
public sealed record SecretInfo
{
    /// <summary>Kubernetes' type names: <see cref="TlsType"/> with a certificate and key, <see cref="OpaqueType"/> for a CA alone.</summary>
    public const string TlsType = "kubernetes.io/tls";
    public const string OpaqueType = "Opaque";

    [Id(0)] public required string Namespace { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Type { get; init; }
    /// <summary>The keys present: <c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>.</summary>
    [Id(3)] public required IReadOnlyList<string> Keys { get; init; }
    /// <summary>Of the certificate (<c>tls.crt</c>'s first), else of the first CA.</summary>
    [Id(4)] public string Subject { get; init; } = "";
    [Id(5)] public IReadOnlyList<string> DnsNames { get; init; } = [];
    [Id(6)] public DateTimeOffset NotBefore { get; init; }
    [Id(7)] public DateTimeOffset NotAfter { get; init; }
    /// <summary>SHA-256 of the certificate (DER), lower-case hex.</summary>
    [Id(8)] public string Sha256Fingerprint { get; init; } = "";
    [Id(9)] public DateTimeOffset Created { get; init; }
    [Id(10)] public DateTimeOffset Updated { get; init; }
    /// <summary>1 when created, one more at each replacement.</summary>
    [Id(11)] public long Version { get; init; }
    [Id(12)] public IReadOnlyList<string> IpAddresses { get; init; } = [];
    /// <summary>How many CA certificates <c>ca.crt</c> holds.</summary>
    [Id(13)] public int CaCertificates { get; init; }
}
