using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;
using static Mesh.Config.Validation.Fields.Schema;

namespace Mesh.Config.Validation.Schemas;

/// <summary>networking.istio.io WorkloadEntry: a workload outside Kubernetes (a VM, a bare-metal host).</summary>
internal static class WorkloadEntrySchema
{
    /// <summary>The fields of a WorkloadEntry spec, shared with ServiceEntry endpoints and WorkloadGroup templates.</summary>
    public static ObjectSchema Fields() => Obj(
        ("address", Matching(Address)),
        ("ports", Map(Common.Port, Names.Label)),
        ("labels", Common.Labels),
        ("network", Str),
        ("locality", Matching(Locality)),
        ("weight", UInt),
        ("serviceAccount", Common.Label));

    public static ObjectSchema Spec { get; } = Fields().Rule((entry, path, problems) =>
    {
        if (entry["address"] is null && entry["network"] is null)
        {
            problems.Error(FieldPath.Field(path, "address"), "required unless network is set");
        }
    });

    /// <summary>An IP address, a DNS name, or a Unix socket (<c>unix:///path</c>).</summary>
    public static string? Address(string address)
    {
        if (address.StartsWith("unix://", StringComparison.Ordinal))
        {
            return address.Length > "unix://".Length ? null : "a unix address needs a socket path";
        }
        if (address.Length == 0) return "address must not be empty";
        return Hosts.IsIp(address) ? null : Hosts.Name(address);
    }

    /// <summary><c>region/zone/subzone</c>, each part optional but no empty parts in between.</summary>
    public static string? Locality(string locality)
    {
        var parts = locality.Split('/');
        if (parts.Length > 3) return $"locality \"{Names.Short(locality)}\" has more than region/zone/subzone";
        return parts.Any(p => p.Length == 0) ? $"locality \"{Names.Short(locality)}\" has an empty part" : null;
    }

    /// <summary>Endpoint port names must name ports of the ServiceEntry.</summary>
    public static void CheckPortNames(JsonObject entry, string path, IReadOnlySet<string> portNames, Problems problems)
    {
        if (entry["ports"] is not JsonObject ports) return;
        foreach (var (name, _) in ports)
        {
            if (!portNames.Contains(name))
            {
                problems.Error(FieldPath.Field(FieldPath.Field(path, "ports"), name), $"\"{Names.Short(name)}\" is not the name of a port of this ServiceEntry");
            }
        }
    }
}
