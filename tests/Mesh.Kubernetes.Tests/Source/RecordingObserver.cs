using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Mesh.Kubernetes.Source;

namespace Mesh.Kubernetes.Tests.Source;

/// <summary>An observer that keeps what it was told: every call in order, and the state those calls add up to.</summary>
internal sealed class RecordingObserver : IResourceObserver
{
    private readonly object _gate = new();
    private readonly List<(string Call, string Key, string Version)> _calls = [];
    private readonly Dictionary<string, string> _state = [];

    public IReadOnlyList<(string Call, string Key, string Version)> Calls { get { lock (_gate) return [.. _calls]; } }

    /// <summary>Key → resourceVersion of what the observer holds now.</summary>
    public IReadOnlyDictionary<string, string> State { get { lock (_gate) return new Dictionary<string, string>(_state); } }

    public int Syncs { get { lock (_gate) return _calls.Count(c => c.Call == "synced"); } }

    private (string Key, TaskCompletionSource Failed)? _failure;

    /// <summary>The next upsert of <paramref name="key"/> throws, as a config write that failed; the task completes then.</summary>
    public Task FailNextUpsertOf(string key)
    {
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _failure = (key, failed);
        return failed.Task;
    }

    public Task Upserted(ApiResource resource, JsonObject obj, CancellationToken cancellation)
    {
        lock (_gate)
        {
            if (_failure is { } failure && failure.Key == ApiObjects.Key(obj))
            {
                _failure = null;
                failure.Failed.SetResult();
                throw new InvalidOperationException($"{failure.Key}: the write failed");
            }
            _calls.Add(("upserted", ApiObjects.Key(obj), ApiObjects.ResourceVersion(obj)));
            _state[ApiObjects.Key(obj)] = ApiObjects.ResourceVersion(obj);
        }
        return Task.CompletedTask;
    }

    public Task Deleted(ApiResource resource, JsonObject obj, CancellationToken cancellation)
    {
        lock (_gate)
        {
            _calls.Add(("deleted", ApiObjects.Key(obj), ApiObjects.ResourceVersion(obj)));
            Assert.True(_state.Remove(ApiObjects.Key(obj)), $"{ApiObjects.Key(obj)} deleted without being held");
        }
        return Task.CompletedTask;
    }

    public Task Synced(ApiResource resource, string resourceVersion, CancellationToken cancellation)
    {
        lock (_gate) _calls.Add(("synced", "", resourceVersion));
        return Task.CompletedTask;
    }
}

/// <summary>Meters for tests: each one its own, never shared with another test.</summary>
internal sealed class TestMeters : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
