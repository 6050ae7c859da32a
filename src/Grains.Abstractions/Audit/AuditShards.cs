using System.Globalization;
using Mesh.Grains.Config;

namespace Mesh.Grains.Audit;

/// <summary>How audit entries are sharded: per namespace and UTC hour (<c>bookinfo/2025-01-02T15</c>). The same
/// on every silo.</summary>
public static class AuditShards
{
    /// <summary>The shard of attempts that name no usable namespace (not a DNS-1123 label, so never a real one).</summary>
    public const string NoNamespace = "-";

    public const int Buckets = NamespaceDirectory.Buckets;

    private const string HourFormat = "yyyy-MM-ddTHH";

    public static string HourOf(DateTimeOffset time) => time.UtcDateTime.ToString(HourFormat, CultureInfo.InvariantCulture);

    public static string Key(string @namespace, DateTimeOffset time) => $"{@namespace}/{HourOf(time)}";

    public static (string Namespace, string Hour) Split(string key)
    {
        var slash = key.LastIndexOf('/');
        return slash <= 0 ? throw new FormatException($"'{key}' is not a namespace/hour audit key") : (key[..slash], key[(slash + 1)..]);
    }

    public static long BucketOf(string @namespace) => NamespaceDirectory.BucketOf(@namespace);
}
