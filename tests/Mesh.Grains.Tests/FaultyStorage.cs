using System.Collections.Concurrent;
using Orleans.Storage;

namespace Mesh.Grains.Tests;

/// <summary>Grain state in memory, serialized as a real store would keep it, whose writes fail for the grains a test
/// names: the failures a dead silo or a stalled database cause, on demand. As Orleans' stores do, a write whose ETag
/// is not the stored one fails with <see cref="InconsistentStateException"/>.</summary>
public sealed class FaultyStorage : IGrainStorage
{
    private static readonly ConcurrentDictionary<Guid, Func<GrainId, bool>> Failing = new();
    // Shared by the silos of the process, so that a test can look at what was stored (there is one cluster).
    private static readonly ConcurrentDictionary<(string, GrainId), (string ETag, BinaryData Data)> Rows = new();
    /// <summary>The silo's, for <see cref="WriteAsAnotherActivation"/>.</summary>
    private static IGrainStorageSerializer? LastSerializer;

    private readonly IGrainStorageSerializer _serializer;

    public FaultyStorage(IGrainStorageSerializer serializer)
    {
        _serializer = serializer;
        LastSerializer = serializer;
    }

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

    /// <summary>Stores <paramref name="state"/> as another activation of the grain would (a duplicate on a silo declared
    /// dead while it still ran): the grain's own next write then fails on its ETag.</summary>
    public static void WriteAsAnotherActivation<T>(string stateName, GrainId grainId, T state) =>
        Rows[(stateName, grainId)] = (Guid.NewGuid().ToString("N"), LastSerializer!.Serialize(state));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Rows.TryGetValue((stateName, grainId), out var row))
        {
            grainState.State = _serializer.Deserialize<T>(row.Data);
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
        CheckETag(stateName, grainId, grainState.ETag);
        var etag = Guid.NewGuid().ToString("N");
        Rows[(stateName, grainId)] = (etag, _serializer.Serialize(grainState.State));
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Check(grainId);
        CheckETag(stateName, grainId, grainState.ETag);
        Rows.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private static void CheckETag(string stateName, GrainId grainId, string? etag)
    {
        var stored = Rows.TryGetValue((stateName, grainId), out var row) ? row.ETag : null;
        if (stored != etag)
        {
            throw new InconsistentStateException($"{stateName} of {grainId} was written by someone else", stored ?? "", etag ?? "");
        }
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
