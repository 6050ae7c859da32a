using System.IO.Hashing;
using System.Text;

namespace Mesh.Grains.Reconcile;

/// <summary>Which outbox bucket holds a resource's key: a stable hash, the same on every silo and build, so that a
/// write's key and the sweep meet in one grain.</summary>
public static class OutboxBuckets
{
    public const int Count = 16;

    public static IEnumerable<int> All => Enumerable.Range(0, Count);

    public static int Of(string resourceKey) => (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(resourceKey)) % Count);

    public static IOutboxGrain Outbox(this IGrainFactory grains, string resourceKey) => grains.GetGrain<IOutboxGrain>(Of(resourceKey));
}
