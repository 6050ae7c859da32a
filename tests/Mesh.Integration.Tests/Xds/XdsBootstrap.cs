using System.Text.Json;

namespace Mesh.Integration.Tests.Xds;

/// <summary>The bootstrap file a proxyless gRPC client reads from GRPC_XDS_BOOTSTRAP: which xDS server(s), and who the client is.</summary>
/// <remarks>
/// Both clients here (grpc-js-xds 1.14.1, C-core 1.51) only ever talk to the FIRST entry of
/// <c>xds_servers</c>: neither implements fallback to the next one. To let a client fail over between
/// silos, give one entry several addresses with <see cref="AnyOf"/>: the xDS channel then
/// picks the first address that accepts a connection, and moves on when it drops.
/// </remarks>
public sealed record XdsBootstrap
{
    /// <summary>xDS server targets, written as xds_servers entries in this order.</summary>
    public required IReadOnlyList<string> ServerUris { get; init; }

    public string NodeId { get; init; } = "sidecar~127.0.0.1~client-" + Guid.NewGuid().ToString("N")[..8] + ".bookinfo~bookinfo.svc.cluster.local";

    public string Cluster { get; init; } = "test";

    public string Zone { get; init; } = "z";

    public string Namespace { get; init; } = "bookinfo";

    public static XdsBootstrap ForPorts(params int[] ports) => new() { ServerUris = ports.Select(p => $"127.0.0.1:{p}").ToArray() };

    /// <summary>One gRPC target that names several loopback ports, for one xds_servers entry: "ipv4:127.0.0.1:A,127.0.0.1:B".</summary>
    public static string AnyOf(params int[] ports) => "ipv4:" + string.Join(',', ports.Select(p => $"127.0.0.1:{p}"));

    public string ToJson() => JsonSerializer.Serialize(new
    {
        xds_servers = ServerUris.Select(uri => new
        {
            server_uri = uri,
            channel_creds = new[] { new { type = "insecure" } },
            server_features = new[] { "xds_v3" },
        }),
        node = new
        {
            id = NodeId,
            cluster = Cluster,
            locality = new { zone = Zone },
            metadata = new Dictionary<string, string> { ["NAMESPACE"] = Namespace },
        },
    });

    public string WriteTo(string directory)
    {
        var path = Path.Combine(directory, $"bootstrap-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, ToJson());
        return path;
    }
}
