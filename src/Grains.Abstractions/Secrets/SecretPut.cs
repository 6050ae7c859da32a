namespace Mesh.Grains.Secrets;

/// <summary>What came of <see cref="ISecretGrain.Put"/>: the stored credential's info, or why nothing was stored.</summary>
[GenerateSerializer, Immutable, Alias("mesh.SecretPut")]
public sealed record SecretPut(
    [property: Id(0)] SecretInfo? Info,
    [property: Id(1)] IReadOnlyList<SecretProblem> Problems,
    [property: Id(2)] bool Created);

/// <summary>One reason a credential is refused: the field (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>) and why.</summary>
[GenerateSerializer, Immutable, Alias("mesh.SecretProblem")]
public sealed record SecretProblem([property: Id(0)] string Field, [property: Id(1)] string Reason);
