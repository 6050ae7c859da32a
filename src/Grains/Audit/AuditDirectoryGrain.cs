using Mesh.Grains.Config;
using Orleans.Runtime;

namespace Mesh.Grains.Audit;

/// <summary>One bucket of the audit directory. Written once per shard (namespace and hour), read per listing.</summary>
[Orleans.Placement.RandomPlacement]
public sealed class AuditDirectoryGrain(
    [PersistentState("auditDirectory", StorageNames.Mesh)] IPersistentState<AuditDirectoryState> state) : Grain, IAuditDirectoryGrain
{
    public async Task Add(string @namespace, string hour)
    {
        if (!state.State.Hours.TryGetValue(@namespace, out var hours))
        {
            hours = new SortedSet<string>(StringComparer.Ordinal);
            state.State.Hours[@namespace] = hours;
        }
        if (hours.Add(hour))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> Shards(string? @namespace, string fromHour) =>
        Task.FromResult<IReadOnlyList<string>>(
        [
            .. state.State.Hours
                .Where(pair => @namespace is null || pair.Key == @namespace)
                .SelectMany(pair => pair.Value
                    .Where(hour => string.CompareOrdinal(hour, fromHour) >= 0)
                    .Select(hour => $"{pair.Key}/{hour}"))
                .Order(StringComparer.Ordinal),
        ]);
}
