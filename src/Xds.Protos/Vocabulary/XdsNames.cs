using System.Globalization;

namespace Mesh.Xds.Resources;

/// <summary>Istio's resource names, so operators recognize what they see: listeners and route configurations
/// <c>HOST:PORT</c> (the target of <c>xds:///HOST:PORT</c>), clusters <c>outbound|PORT|SUBSET|HOST</c>.</summary>
public static class XdsNames
{
    public static string Listener(string host, int port) => $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";

    public static string Route(string host, int port) => Listener(host, port);

    public static string Cluster(int port, string subset, string host) =>
        $"outbound|{port.ToString(CultureInfo.InvariantCulture)}|{subset}|{host}";

    /// <summary><c>reviews.bookinfo.svc.cluster.local:9080</c> → (host, 9080).</summary>
    public static bool TryParseListener(string name, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = name.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(name.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }
        host = name[..colon];
        return true;
    }

    /// <summary><c>outbound|9080|v1|reviews.bookinfo.svc.cluster.local</c> → (9080, v1, host); subset may be empty.</summary>
    public static bool TryParseCluster(string name, out int port, out string subset, out string host)
    {
        port = 0;
        subset = host = "";
        var parts = name.Split('|');
        if (parts.Length != 4 || parts[0] != "outbound" || parts[3].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }
        subset = parts[2];
        host = parts[3];
        return true;
    }

    /// <summary>A gateway's listener (and its route configuration) for one of its ports,
    /// <c>gateway|NAMESPACE|WORKLOAD|PORT</c>: one per gateway workload and listen port, subscribed to by that
    /// gateway only.</summary>
    public static string GatewayListener(string @namespace, string workload, int port) =>
        $"gateway|{@namespace}|{workload}|{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary><c>gateway|istio-system|ingress-7d9f|8443</c> → (istio-system, ingress-7d9f, 8443).</summary>
    public static bool TryParseGatewayListener(string name, out string @namespace, out string workload, out int port)
    {
        @namespace = workload = "";
        port = 0;
        var parts = name.Split('|');
        if (parts.Length != 4 || parts[0] != "gateway" || parts[1].Length == 0 || parts[2].Length == 0
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            port = 0;
            return false;
        }
        (@namespace, workload) = (parts[1], parts[2]);
        return true;
    }

    /// <summary>The service host a resource of any type belongs to, or null for a name Mesh did not make.</summary>
    public static string? HostOf(string typeUrl, string name) => typeUrl switch
    {
        TypeUrls.Listener or TypeUrls.Route => TryParseListener(name, out var host, out _) ? host : null,
        TypeUrls.Cluster or TypeUrls.Endpoint => TryParseCluster(name, out _, out _, out var host) ? host : null,
        _ => null,
    };
}
