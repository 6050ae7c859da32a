using Mesh.Sidecar.Capture;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Proxy.Paths;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Proxy;

/// <summary>A decision an inbound policy makes about a request before it reaches the application.</summary>
/// <param name="Reset">Close the connection instead of answering (Envoy resets what a listener refuses).</param>
public readonly record struct InboundDecision(bool Allowed, int Status = 403, string Reason = "", bool Reset = false, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>A check on the inbound path (peer authentication, authorization), run in order before forwarding.</summary>
public interface IInboundPolicy
{
    /// <param name="inbound">The model the request is judged under, read once per request by the handler, so that the
    /// path is normalized and the policies run under the same listener even when a new one arrives meanwhile.</param>
    ValueTask<InboundDecision> Evaluate(HttpContext context, InboundModel inbound);
}

/// <summary>The inbound listener: requests from other sidecars, through the inbound policies, to the application on
/// 127.0.0.1:<c>--app-port</c> in the caller's protocol (or, for a connection captured by iptables, at the port it was
/// sent to, as Envoy's inbound passthrough keeps the destination port).</summary>
public sealed class InboundHandler(SidecarOptions options, ConfigStore store, IEnumerable<IInboundPolicy> policies, IHttpForwarder forwarder, Upstreams upstreams, Security.WorkloadIdentity identity)
{
    public const string ClientCertificateHeader = "x-forwarded-client-cert";

    private readonly IInboundPolicy[] _policies = [.. policies];
    private readonly string _application = $"http://127.0.0.1:{options.AppPort}";

    public async Task Handle(HttpContext context)
    {
        if (ApplicationPort(context, options.AppPort) is not { } port)
        {
            await LocalReply.Send(context, 404, "this sidecar has no application (--app-port)", "NR");
            return;
        }
        // Once, before the policies: JWT rules, RBAC and the application all see the same path.
        var inbound = store.Current.Inbound ?? InboundModel.NotYet;
        if (!await RequestTarget.Apply(context, inbound.Paths)) return;
        // Before the policies, so that a header condition never sees an identity the caller wrote itself.
        context.Request.Headers.Remove(ClientCertificateHeader);
        if (!await Admit(context, _policies, inbound)) return;
        ForwardClientCertificate(context);
        context.Items[RequestItems.UpstreamCluster] = $"inbound|{port}||";
        context.Items[RequestItems.UpstreamHost] = $"127.0.0.1:{port}";
        var http2 = HttpProtocol.IsHttp2(context.Request.Protocol);
        var error = await forwarder.SendAsync(context, port == options.AppPort ? _application : $"http://127.0.0.1:{port}", upstreams.Application, http2 ? upstreams.Http2 : upstreams.Http1,
            new MeshTransformer(options, null, null), context.RequestAborted);
        if (error != ForwarderError.None && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            context.Response.Headers.Clear();
            await LocalReply.Send(context, 503, "upstream connect error or disconnect/reset before headers. reset reason: connection failure (the application)", "UF");
        }
    }

    /// <summary>The application's port a request goes to: the captured connection's original port, else --app-port.</summary>
    public static int? ApplicationPort(HttpContext context, int? appPort)
        => context.Features.Get<CapturedConnection>()?.OriginalDestination.Port ?? appPort;

    /// <summary>Runs the request through <paramref name="policies"/> in order; the first refusal is answered here (a
    /// local reply, or a reset where the transport itself is refused) and false is returned.</summary>
    public static async Task<bool> Admit(HttpContext context, IReadOnlyList<IInboundPolicy> policies, InboundModel inbound)
    {
        foreach (var policy in policies)
        {
            var decision = await policy.Evaluate(context, inbound);
            if (decision.Allowed) continue;
            if (decision.Reset)
            {
                context.Items[RequestItems.ResponseFlags] = "UAEX";
                context.Abort();
                return false;
            }
            await LocalReply.Send(context, decision.Status, decision.Reason, "UAEX", headers: decision.Headers);
            return false;
        }
        return true;
    }

    /// <summary>Tells the application who called, as Envoy's <c>x-forwarded-client-cert</c> (By: this workload, URI: the
    /// peer's SPIFFE id, Hash: its certificate's SHA-256). Whatever a caller sent in that header is dropped first, so a
    /// plain-text caller cannot claim an identity.</summary>
    private void ForwardClientCertificate(HttpContext context)
    {
        context.Request.Headers.Remove(ClientCertificateHeader);
        if (Security.PeerCertificate.Of(context)?.ForwardedClientCert(identity.Current?.Uri ?? "") is { } header)
        {
            context.Request.Headers[ClientCertificateHeader] = header;
        }
    }
}
