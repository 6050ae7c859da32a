using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Proxy;

/// <summary>HTTP clients for traffic outside the mesh's clusters: the local application (inbound) and hosts the
/// mesh does not know (passthrough), made by YARP's client factory (no proxy, no cookies, no decompression, trace
/// context propagated), and the request settings for each protocol.</summary>
public sealed class Upstreams : IDisposable
{
    public Upstreams(IForwarderHttpClientFactory factory)
    {
        Application = factory.CreateClient(new ForwarderHttpClientContext { NewConfig = HttpClientConfig.Empty });
        Passthrough = factory.CreateClient(new ForwarderHttpClientContext { NewConfig = HttpClientConfig.Empty });
    }

    public HttpMessageInvoker Application { get; }

    public HttpMessageInvoker Passthrough { get; }

    public ForwarderRequestConfig Http1 { get; } = new() { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower, ActivityTimeout = TimeSpan.FromMinutes(5) };

    public ForwarderRequestConfig Http2 { get; } = new() { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, ActivityTimeout = TimeSpan.FromMinutes(5) };

    public void Dispose()
    {
        Application.Dispose();
        Passthrough.Dispose();
    }
}
