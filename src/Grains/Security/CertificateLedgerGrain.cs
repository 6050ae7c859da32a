using Mesh.Grains.Config;
using Orleans.Runtime;

namespace Mesh.Grains.Security;

/// <summary>Issued certificates of one namespace, latest per holder; expired ones are dropped on each write.</summary>
public sealed class CertificateLedgerGrain(
    [PersistentState("ledger", StorageNames.Mesh)] IPersistentState<CertificateLedgerState> state,
    TimeProvider time) : Grain, ICertificateLedgerGrain
{
    public async Task Record(IssuedRecord record)
    {
        var now = time.GetUtcNow();
        state.State.Issued.RemoveAll(r => r.Holder == record.Holder || r.NotAfter < now);
        state.State.Issued.Add(record);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<IssuedRecord>> List()
    {
        var now = time.GetUtcNow();
        return Task.FromResult<IReadOnlyList<IssuedRecord>>([.. state.State.Issued.Where(r => r.NotAfter >= now).OrderBy(r => r.Holder, StringComparer.Ordinal)]);
    }

    public async Task AddNamespace(string @namespace)
    {
        if (state.State.Namespaces.Contains(@namespace)) return;
        state.State.Namespaces.Add(@namespace);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> ListNamespaces() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Namespaces.Order(StringComparer.Ordinal)]);
}

/// <summary>Persisted ledger: issued certificates, or (on the index key) namespace names.</summary>
[GenerateSerializer, Alias("mesh.CertificateLedgerState")]
public sealed class CertificateLedgerState
{
    [Id(0)] public List<IssuedRecord> Issued { get; set; } = [];
    [Id(1)] public HashSet<string> Namespaces { get; set; } = [];
}
