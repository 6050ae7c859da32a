namespace Mesh.Grains.Security;

/// <summary>The roots the mesh trusts, PEM, the signing one first; <see cref="Version"/> changes with the set.</summary>
[GenerateSerializer, Immutable, Alias("mesh.TrustBundle")]
public sealed record TrustBundle(
    [property: Id(0)] string TrustDomain,
    [property: Id(1)] List<TrustedRoot> Roots,
    [property: Id(2)] string Version)
{
    /// <summary>Intermediates between the roots and the workload certificates (a user-supplied CA's chain), PEM, so that
    /// a certificate presented without them still verifies.</summary>
    [Id(3)] public string IntermediatesPem { get; init; } = "";

    public string Pem => string.Concat(Roots.Select(r => r.Pem));
}

/// <summary>One trusted root: its PEM, SHA-256 fingerprint, validity, and whether it signs now.</summary>
[GenerateSerializer, Immutable, Alias("mesh.TrustedRoot")]
public sealed record TrustedRoot(
    [property: Id(0)] string Pem,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] string Subject,
    [property: Id(3)] DateTimeOffset NotAfter,
    [property: Id(4)] bool Signing,
    /// <summary><c>generated</c> (kept in grain storage) or <c>cacerts</c> (a user-supplied folder).</summary>
    [property: Id(5)] string Source);
