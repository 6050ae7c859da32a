using System.Collections.Concurrent;
using Orleans.Storage;

namespace Mesh.Grains.Tests;

/// <summary>Grain state in memory, serialized as a real store would keep it, whose writes fail for the grains a test
/// names: the failures a dead silo or a stalled database cause, on demand.</summary>
public sealed class FaultyStorage(IGrainStorageSerializer serializer) : IGrainStorage
{
    private static readonly ConcurrentDictionary<Guid, Func<GrainId, bool>> Failing = new();
    // Shared by the silos of the process, so that a test can look at what was stored (there is one cluster).
    private static readonly ConcurrentDictionary<(string, GrainId), (string ETag, BinaryData Data)> Rows = new();

    /// <summary>The stored bytes of every grain whose key contains <paramref name="keyPart"/>, as a store would hold them.</summary>
    public static IReadOnlyList<byte[]> Stored(string keyPart) =>
        [.. Rows.Where(row => row.Key.Item2.Key.ToString()!.Contains(keyPart, StringComparison.Ordinal)).Select(row => row.Value.Data.ToArray())];

    /// <summary>Writes of every grain whose key contains <paramref name="keyPart"/> fail until the scope is disposed.</summary>
    public static IDisposable FailWrites(string keyPart) => FailWrites(id => id.Key.ToString()!.Contains(keyPart, StringComparison.Ordinal));

    /// <summary>Writes of the grains <paramref name="fails"/> picks fail until the scope is disposed.</summary>
    public static IDisposable FailWrites(Func<GrainId, bool> fails)
    {
        var id = Guid.NewGuid();
        Failing[id] = fails;
        return new Scope(id);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Rows.TryGetValue((stateName, grainId), out var row))
        {
            grainState.State = serializer.Deserialize<T>(row.Data);
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Check(grainId);
        var etag = Guid.NewGuid().ToString("N");
        Rows[(stateName, grainId)] = (etag, serializer.Serialize(grainState.State));
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Check(grainId);
        Rows.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private static void Check(GrainId grainId)
    {
        if (Failing.Values.Any(fails => fails(grainId)))
        {
            throw new IOException($"storage unavailable for {grainId} (injected by the test)");
        }
    }

    private sealed class Scope(Guid id) : IDisposable
    {
        public void Dispose() => Failing.TryRemove(id, out _);
    }
}
