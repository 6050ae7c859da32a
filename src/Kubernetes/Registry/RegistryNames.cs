using System.Net;
using System.Security.Cryptography;
using System.Text;
using Mesh.Config.Validation.Rules;

namespace Mesh.Kubernetes.Registry;

/// <summary>The names the registry reads from Kubernetes objects and writes on the resources it makes.</summary>
public static class RegistryNames
{
    /// <summary>The label Kubernetes puts on an EndpointSlice to name its Service.</summary>
    public const string SliceServiceLabel = "kubernetes.io/service-name";

    /// <summary>Istio's annotation on a Service: the namespaces that see it (comma-separated, as <c>exportTo</c>).</summary>
    public const string ExportToAnnotation = "networking.istio.io/exportTo";

    /// <summary>On each WorkloadEntry the registry makes: the Service it backs. The Service's ServiceEntry selects on it,
    /// so it gets exactly its slices' endpoints, never the pods of another Service with the same labels.</summary>
    public const string ServiceLabel = "mesh.io/kubernetes-service";

    /// <summary>A Service port with no name (allowed when it is the only one) gets one, since a ServiceEntry port
    /// needs a name: <c>tcp-8080</c>.</summary>
    public static string PortName(string? name, string protocol, int number) =>
        name is { Length: > 0 } ? name : $"{protocol.ToLowerInvariant()}-{number}";

    /// <summary>The WorkloadEntry of <paramref name="address"/> in <paramref name="service"/>: <c>reviews-10-0-0-5</c>,
    /// a DNS label as every resource name in Mesh. A name that would be longer than 63 characters keeps what fits and
    /// ends in a hash of the whole, so two endpoints never share one.</summary>
    public static string WorkloadEntryName(string service, string address)
    {
        var canonical = IPAddress.TryParse(address, out var ip) ? ip.ToString() : address;
        var name = $"{service}-{canonical.ToLowerInvariant().Replace('.', '-').Replace(':', '-')}";
        // An IPv6 address ending in "::" would end the name in a dash.
        if (name.EndsWith('-')) name += "0";
        if (ResourceNames.IsDns1123Label(name)) return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{service}/{canonical}")))[..10];
        return $"{name[..(63 - hash.Length - 1)].TrimEnd('-')}-{hash}";
    }
}
