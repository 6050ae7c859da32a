using System.Collections.Concurrent;

namespace Mesh.Kubernetes.Fake.Http;

/// <summary>Requests served, by verb (<c>get</c>, <c>list</c>, <c>watch</c>, <c>create</c>, <c>update</c>,
/// <c>patch</c>, <c>delete</c>) and resource (<c>services</c>, <c>virtualservices.networking.istio.io</c>,
/// <c>pods/status</c>), so a test can assert who asked for what and how often.</summary>
public sealed class RequestCounts
{
    private readonly ConcurrentDictionary<(string Verb, string Resource), int> _counts = new();

    public int this[string verb, string resource] => _counts.GetValueOrDefault((verb, resource));

    public IReadOnlyDictionary<(string Verb, string Resource), int> All => _counts.ToDictionary();

    public void Reset() => _counts.Clear();

    internal void Record(string verb, string resource) => _counts.AddOrUpdate((verb, resource), 1, (_, n) => n + 1);
}
