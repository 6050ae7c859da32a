using System.IO.Hashing;
using System.Text;
using Mesh.Sidecar.Config;

namespace Mesh.Sidecar.Proxy;

/// <summary>Envoy's ring hash: each endpoint owns points on a 64-bit ring in proportion to its weight (at least
/// <c>minimum_ring_size</c> points in all), hashed with xxHash64 so that every sidecar builds the same ring; a key goes
/// to the first point at or after its hash.</summary>
public sealed class HashRing
{
    private readonly ulong[] _points;
    private readonly string[] _owners;

    public HashRing(IReadOnlyList<EndpointModel> endpoints, ulong minimumSize)
    {
        var size = (int)Math.Clamp(minimumSize, (ulong)Math.Max(1, endpoints.Count), 65_536UL);
        var totalWeight = endpoints.Sum(e => (long)e.Weight);
        var points = new List<(ulong Hash, string Owner)>(size + endpoints.Count);
        foreach (var endpoint in endpoints)
        {
            var share = totalWeight == 0 ? 1 : (int)Math.Max(1, Math.Round((double)size * endpoint.Weight / totalWeight));
            for (var i = 0; i < share; i++)
            {
                points.Add((Hash($"{endpoint.Key}_{i}"), endpoint.Key));
            }
        }
        points.Sort((a, b) => a.Hash.CompareTo(b.Hash));
        _points = [.. points.Select(p => p.Hash)];
        _owners = [.. points.Select(p => p.Owner)];
    }

    public static ulong Hash(string key) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key));

    /// <summary>Endpoints in ring order from the key's point: the first one usable wins.</summary>
    public IEnumerable<string> Walk(ulong hash)
    {
        if (_points.Length == 0) yield break;
        var start = Array.BinarySearch(_points, hash);
        if (start < 0) start = ~start;
        for (var i = 0; i < _points.Length; i++)
        {
            yield return _owners[(start + i) % _points.Length];
        }
    }
}
