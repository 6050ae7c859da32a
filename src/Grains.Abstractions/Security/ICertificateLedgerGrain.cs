namespace Mesh.Grains.Security;

/// <summary>The workload certificates issued in one namespace (key: the namespace), the latest per holder, for
/// <c>meshctl cert status</c>. Expired entries are dropped. The key <see cref="Namespaces"/> instead lists the
/// namespaces that have any.</summary>
[Alias("mesh.ICertificateLedgerGrain")]
public interface ICertificateLedgerGrain : IGrainWithStringKey
{
    public const string Namespaces = "*";

    [Alias("Record")] Task Record(IssuedRecord record);

    [Alias("List")] Task<IReadOnlyList<IssuedRecord>> List();

    /// <summary>On the <see cref="Namespaces"/> grain: remembers a namespace that has certificates.</summary>
    [Alias("AddNamespace")] Task AddNamespace(string @namespace);

    [Alias("ListNamespaces")] Task<IReadOnlyList<string>> ListNamespaces();
}

/// <summary>One issued workload certificate: who holds it (the proxy's node id), its identity, serial, issuer and validity.</summary>
[GenerateSerializer, Immutable, Alias("mesh.IssuedRecord")]
public sealed record IssuedRecord(
    [property: Id(0)] string Holder,
    [property: Id(1)] string SpiffeId,
    [property: Id(2)] string SerialNumber,
    [property: Id(3)] string Issuer,
    [property: Id(4)] DateTimeOffset NotBefore,
    [property: Id(5)] DateTimeOffset NotAfter);
