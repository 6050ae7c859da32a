using System.Diagnostics;
using System.Globalization;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Proxy;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Telemetry;

/// <summary>Around every proxied request: a span (W3C trace context continued from the caller and passed on
/// upstream), counted request and response bodies, Istio's metrics as the source or destination reporter, and one
/// access-log line.</summary>
public sealed class RequestTelemetry(SidecarOptions options, SidecarMetrics metrics, AccessLog log)
{
    /// <summary>Headers with which an outbound sidecar tells the inbound one who is calling (Istio exchanges the same
    /// as peer metadata; with mTLS the identity will come from the certificate).</summary>
    public const string SourceWorkloadHeader = "x-mesh-source-workload";
    public const string SourceNamespaceHeader = "x-mesh-source-namespace";

    private DestinationService? _lastService;

    public async Task Run(HttpContext context, bool outbound, Func<HttpContext, Task> next)
    {
        var started = Stopwatch.GetTimestamp();
        var startedAt = log.Enabled ? DateTimeOffset.UtcNow : default;
        using var activity = StartSpan(context, outbound);
        // The response body is counted as it goes out; a gRPC response is left alone (its trailers need Kestrel's own
        // body feature) and, like a request body, measured by its declared length.
        CountingResponseBody? responseBody = null;
        CountingRequestBody? requestBody = null;
        if (!Config.Grpc.IsGrpc(context.Request))
        {
            responseBody = new CountingResponseBody(context.Response.Body);
            context.Response.Body = responseBody;
            // At the gateway, per-API analytics wants real sizes, chunked bodies included.
            if (options.Gateway)
            {
                requestBody = new CountingRequestBody(context.Request.Body);
                context.Request.Body = requestBody;
            }
        }
        string sourceWorkload, sourceNamespace;
        if (outbound)
        {
            sourceWorkload = options.App;
            sourceNamespace = options.Namespace;
        }
        else
        {
            sourceWorkload = Take(context, SourceWorkloadHeader) ?? "unknown";
            sourceNamespace = Take(context, SourceNamespaceHeader) ?? "unknown";
        }
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = context.Response.StatusCode;
            var items = context.Items;
            var flags = items.TryGetValue(RequestItems.ResponseFlags, out var f) ? (string)f! : "-";
            var grpc = Config.Grpc.IsGrpc(context.Request);
            var grpcStatus = items.TryGetValue(RequestItems.GrpcStatus, out var g) ? Convert.ToString(g, CultureInfo.InvariantCulture)
                : grpc && context.Response.Headers["grpc-status"] is { Count: > 0 } header ? header[0] ?? "-" : "-";
            var service = items.TryGetValue(RequestItems.Service, out var s) ? (string)s! : context.Request.Host.Host;
            var destinationWorkload = outbound
                ? items.TryGetValue(RequestItems.DestinationWorkload, out var w) && w is string { Length: > 0 } dw ? dw : "unknown"
                : options.App;
            var destinationNamespace = outbound
                ? items.TryGetValue(RequestItems.DestinationNamespace, out var n) && n is string { Length: > 0 } dn ? dn : "unknown"
                : options.Namespace;
            var labels = ServiceLabels(service);
            var tags = new TagList
            {
                { "reporter", outbound ? "source" : "destination" },
                { "source_workload", sourceWorkload },
                { "source_workload_namespace", sourceNamespace },
                { "destination_workload", destinationWorkload },
                { "destination_workload_namespace", destinationNamespace },
                { "destination_service", service },
                { "destination_service_name", labels.Name },
                { "destination_service_namespace", labels.Namespace },
                { "request_protocol", grpc ? "grpc" : "http" },
                { "response_code", status.ToString(CultureInfo.InvariantCulture) },
                { "grpc_response_status", grpcStatus },
                { "response_flags", flags },
                { "connection_security_policy", "none" },
            };
            // Per-API analytics: a gateway's series carry the route and the ApiPolicy consumer (a sidecar's keep Istio's shape).
            if (options.Gateway) GatewayLabels.Add(ref tags, items);
            var requestBytes = requestBody is { BytesRead: > 0 } read ? read.BytesRead : context.Request.ContentLength ?? 0;
            var responseBytes = responseBody?.BytesWritten ?? context.Response.ContentLength ?? 0;
            metrics.Request(tags, elapsed, requestBytes, responseBytes);
            activity?.SetTag("http.response.status_code", status);
            activity?.SetTag("mesh.response_flags", flags);
            if (status >= 500) activity?.SetStatus(ActivityStatusCode.Error);
            // The line (and the closure that writes it) only when there is an access log.
            if (log.Enabled) WriteAccessLog(context, outbound, startedAt, elapsed, status, flags, requestBytes, responseBytes, activity);
        }
    }

    private void WriteAccessLog(HttpContext context, bool outbound, DateTimeOffset startedAt, double elapsed, int status, string flags,
        long requestBytes, long responseBytes, Activity? activity)
    {
        var items = context.Items;
        log.Write(json =>
        {
            json.WriteString("start_time", startedAt);
            json.WriteString("direction", outbound ? "outbound" : "inbound");
            json.WriteString("method", context.Request.Method);
            json.WriteString("path", context.Request.Path.Value + context.Request.QueryString.Value);
            json.WriteString("protocol", context.Request.Protocol);
            json.WriteNumber("response_code", status);
            json.WriteString("response_flags", flags);
            json.WriteNumber("bytes_received", requestBytes);
            json.WriteNumber("bytes_sent", responseBytes);
            json.WriteNumber("duration", Math.Round(elapsed, 3));
            json.WriteString("authority", context.Request.Host.Value);
            json.WriteString("upstream_cluster", items.TryGetValue(RequestItems.UpstreamCluster, out var c) ? (string?)c : null);
            json.WriteString("upstream_host", items.TryGetValue(RequestItems.UpstreamHost, out var h) ? (string?)h : null);
            json.WriteString("route_name", items.TryGetValue(RequestItems.Route, out var r) ? (string?)r : null);
            if (items.TryGetValue(RequestItems.Listener, out var l)) json.WriteString("listener_name", (string?)l);
            // A gateway's line always names the consumer (null without an API key), as it does the route.
            if (items.TryGetValue(RequestItems.Consumer, out var consumer) || options.Gateway) json.WriteString("consumer", (string?)consumer);
            json.WriteString("downstream_remote_address", $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}");
            json.WriteString("user_agent", context.Request.Headers.UserAgent.ToString());
            json.WriteString("x_forwarded_for", context.Request.Headers["x-forwarded-for"].ToString());
            json.WriteString("request_id", context.Request.Headers["x-request-id"].ToString());
            json.WriteString("trace_id", activity?.TraceId.ToString() ?? Activity.Current?.TraceId.ToString());
            json.WriteNumber("attempts", items.TryGetValue(RequestItems.Attempts, out var a) ? (int)a! : 0);
        });
    }

    /// <summary>Istio's destination_service_name and destination_service_namespace: the host's first two labels. The
    /// last service's are kept: a sidecar mostly serves the same few, and the labels would be cut out of it again.</summary>
    private DestinationService ServiceLabels(string service)
    {
        if (_lastService is { } last && last.Service == service) return last;
        var dot = service.IndexOf('.');
        var rest = dot < 0 ? default : service.AsSpan(dot + 1);
        var end = rest.IndexOf('.');
        var labels = new DestinationService(service, dot < 0 ? service : service[..dot], dot < 0 ? "unknown" : (end < 0 ? rest : rest[..end]).ToString());
        _lastService = labels;
        return labels;
    }

    private sealed record DestinationService(string Service, string Name, string Namespace);

    private static Activity? StartSpan(HttpContext context, bool outbound)
    {
        var name = outbound ? "outbound" : "inbound";
        var kind = outbound ? ActivityKind.Client : ActivityKind.Server;
        Activity? activity;
        if (Activity.Current is null && context.Request.Headers.TryGetValue("traceparent", out var parent)
            && ActivityContext.TryParse(parent.ToString(), context.Request.Headers["tracestate"].ToString(), out var remote))
        {
            activity = SidecarMetrics.Tracing.StartActivity(name, kind, remote);
        }
        else
        {
            activity = SidecarMetrics.Tracing.StartActivity(name, kind);
        }
        activity?.SetTag("http.request.method", context.Request.Method);
        activity?.SetTag("url.path", context.Request.Path.Value);
        activity?.SetTag("server.address", context.Request.Host.Value);
        return activity;
    }

    private static string? Take(HttpContext context, string header)
    {
        if (!context.Request.Headers.TryGetValue(header, out var value)) return null;
        context.Request.Headers.Remove(header);
        return value.ToString();
    }
}
