namespace Mesh.Grains.Security;

/// <summary>A bootstrap token to mint: the identity it entitles, its lifetime, and who asked (for the log).</summary>
[GenerateSerializer, Immutable, Alias("mesh.TokenOrder")]
public sealed record TokenOrder(
    [property: Id(0)] string Namespace,
    [property: Id(1)] string ServiceAccount,
    [property: Id(2)] TimeSpan Lifetime,
    [property: Id(3)] string RequestedBy);

/// <summary>A minted bootstrap token and when it expires (the lifetime asked for, capped by the CA).</summary>
[GenerateSerializer, Immutable, Alias("mesh.IssuedToken")]
public sealed record IssuedToken([property: Id(0)] string Token, [property: Id(1)] DateTimeOffset Expires);

/// <summary>A public key that verifies bootstrap tokens: its key id and SubjectPublicKeyInfo (DER).</summary>
[GenerateSerializer, Immutable, Alias("mesh.TokenKey")]
public sealed record TokenKey([property: Id(0)] string KeyId, [property: Id(1)] byte[] PublicKey);
