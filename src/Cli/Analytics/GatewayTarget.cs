using Mesh.Api.V1;
using Mesh.Cli.Input;
using Mesh.Xds.Resources;

namespace Mesh.Cli.Analytics;

/// <summary>A gateway whose metrics <c>meshctl top</c> scrapes: its name in the output and its metrics URL.</summary>
public sealed record GatewayTarget(string Name, Uri Url)
{
    private const string MetricsPath = "/stats/prometheus";

    /// <summary>A <c>--gateway</c> URL; without a path, the proxy's <c>/stats/prometheus</c>. Named by its authority.</summary>
    public static GatewayTarget FromUrl(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new UsageException($"--gateway \"{url}\" is not an http:// or https:// URL (a gateway's metrics, e.g. http://10.0.0.5:15090)");
        }
        if (uri.AbsolutePath == "/") uri = new UriBuilder(uri) { Path = MetricsPath }.Uri;
        return new GatewayTarget(uri.Authority, uri);
    }

    /// <summary>A connected router node (<c>router~IP~WORKLOAD.NS~...</c>) that announced its metrics URL; null for
    /// anything else (sidecars, gateways of a version that does not announce it).</summary>
    public static GatewayTarget? FromProxy(ProxyStatusEntry proxy)
    {
        if (!ProxyNodeId.TryParse(proxy.NodeId, out var node) || !node.IsRouter || !Uri.TryCreate(proxy.MetricsUrl, UriKind.Absolute, out var uri)) return null;
        return new GatewayTarget($"{node.Workload}.{node.Namespace}", uri);
    }
}
