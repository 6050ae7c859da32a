using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Proxy.Paths;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Proxy;

/// <summary>A host the mesh does not know goes to where it points (Istio's ALLOW_ANY, Envoy's PassthroughCluster), its
/// path as the application wrote it: no listener, no normalization.</summary>
/// <param name="logger">The outbound listener's logger: passthrough is logged under its category.</param>
public sealed partial class Passthrough(SidecarOptions options, IHttpForwarder forwarder, Upstreams upstreams, ILogger logger)
{
    public const string ClusterName = "PassthroughCluster";

    public async Task Send(HttpContext context, string host, int port)
    {
        RequestTarget.UseRaw(context);
        context.Items[RequestItems.UpstreamCluster] = ClusterName;
        context.Items[RequestItems.UpstreamHost] = $"{host}:{port}";
        LogPassthrough(logger, host, port);
        var error = await forwarder.SendAsync(context, $"http://{host}:{port}", upstreams.Passthrough,
            ForwardState.UsesHttp2(context, null) ? upstreams.Http2 : upstreams.Http1, new MeshTransformer(options, null, null), context.RequestAborted);
        if (error != ForwarderError.None && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            ForwardPipeline.ResetResponse(context);
            await LocalReply.Send(context, 503, $"upstream connect error or disconnect/reset before headers. reset reason: connection failure ({host}:{port})", "UF");
        }
    }

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "No mesh config for {Host}:{Port}; passing the request through")]
    private static partial void LogPassthrough(ILogger logger, string host, int port);
}
