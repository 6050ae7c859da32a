using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Proxy.Paths;
using Mesh.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Proxy;

/// <summary>Shapes one attempt's upstream request as Envoy would (Host kept or rewritten, path rewrites, header
/// edits, x-request-id, the caller's identity for the inbound sidecar), and decides from the upstream's status line
/// whether the response goes to the client or the request is retried — before any byte of it is written.</summary>
public sealed class MeshTransformer : HttpTransformer
{
    private readonly SidecarOptions _options;
    private readonly ForwardState? _state;
    private readonly OutlierDetector? _outliers;

    /// <param name="state">The routed request, whose attempt this is (its <see cref="ForwardState.Destination"/>);
    /// null for a request that is not routed (inbound, to the application).</param>
    /// <param name="outliers">Where the attempt's status is recorded, with <paramref name="state"/>.</param>
    public MeshTransformer(SidecarOptions options, ForwardState? state, OutlierDetector? outliers)
    {
        _options = options;
        _state = state;
        _outliers = outliers;
    }

    /// <summary>Whether the last response was passed on (false: it was held back for a retry).</summary>
    public bool Committed { get; private set; } = true;

    public int Status { get; private set; }

    public override async ValueTask TransformRequestAsync(HttpContext context, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(context, proxyRequest, destinationPrefix, cancellationToken);
        // The path is already in its wire form (RequestTarget): YARP's own URI would encode its escapes a second time.
        var path = context.Request.Path.Value is { Length: > 0 } p ? p : "/";
        proxyRequest.RequestUri = RequestTarget.Upstream(destinationPrefix, _state is not null && Rewrite(path, _state) is { } rewritten ? rewritten : path,
            context.Request.QueryString.Value);
        // Envoy keeps the caller's Host (authority) unless the route rewrites it.
        proxyRequest.Headers.Host = _state?.Action.HostRewrite ?? context.Request.Host.Value;
        if (!proxyRequest.Headers.Contains("x-request-id"))
        {
            if (!context.Request.Headers.TryGetValue("x-request-id", out var id)) id = Guid.NewGuid().ToString();
            proxyRequest.Headers.TryAddWithoutValidation("x-request-id", id.ToString());
        }
        if (_state is not null)
        {
            proxyRequest.Headers.Remove(RequestTelemetry.SourceWorkloadHeader);
            proxyRequest.Headers.TryAddWithoutValidation(RequestTelemetry.SourceWorkloadHeader, _options.App);
            proxyRequest.Headers.Remove(RequestTelemetry.SourceNamespaceHeader);
            proxyRequest.Headers.TryAddWithoutValidation(RequestTelemetry.SourceNamespaceHeader, _options.Namespace);
            if (_state.Attempt > 1) proxyRequest.Headers.TryAddWithoutValidation("x-envoy-attempt-count", _state.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (_state is not null)
        {
            // Virtual host, then route, then weighted cluster, as Envoy applies them.
            Edit(proxyRequest, _state.Host.Headers);
            Edit(proxyRequest, _state.Route.Headers);
            Edit(proxyRequest, _state.Picked.Headers);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext context, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null)
        {
            Status = (int)proxyResponse.StatusCode;
            int? grpcStatus = proxyResponse.Headers.TryGetValues("grpc-status", out var values) && int.TryParse(values.FirstOrDefault(), out var code) ? code : null;
            if (_state is { Destination: { } destination } state)
            {
                _outliers?.Record(state.Cluster, state.Runtime, state.YarpCluster, destination, Status);
                if (state.ShouldRetry(Status, grpcStatus))
                {
                    Committed = false;
                    return false;
                }
            }
        }
        Committed = true;
        var copy = await base.TransformResponseAsync(context, proxyResponse, cancellationToken);
        if (_state is not null)
        {
            Edit(context.Response.Headers, _state.Host.Headers);
            Edit(context.Response.Headers, _state.Route.Headers);
            Edit(context.Response.Headers, _state.Picked.Headers);
        }
        return copy;
    }

    private static void Edit(HttpRequestMessage request, HeaderEdits edits)
    {
        foreach (var name in edits.RequestRemove)
        {
            request.Headers.Remove(name);
            request.Content?.Headers.Remove(name);
        }
        foreach (var edit in edits.RequestAdd) HeaderEditing.Apply(request, edit);
    }

    private static void Edit(IHeaderDictionary response, HeaderEdits edits)
    {
        foreach (var name in edits.ResponseRemove) response.Remove(name);
        foreach (var edit in edits.ResponseAdd) HeaderEditing.Apply(response, edit);
    }

    /// <summary>The upstream path after the route's prefix or regex rewrite, or null when it is unchanged. Envoy swaps
    /// "the matched prefix (or path)": on an exact path match the whole path.</summary>
    private static string? Rewrite(string path, ForwardState state)
    {
        var action = state.Action;
        if (action.PrefixRewrite is { } prefix && state.Route.Match.PathKind is Matching.PathKind.Prefix or Matching.PathKind.SeparatedPrefix or Matching.PathKind.Exact)
        {
            var rest = path[Math.Min(state.Route.Match.PathValue.Length, path.Length)..];
            var rewritten = prefix + rest;
            return rewritten.StartsWith('/') ? rewritten : "/" + rewritten;
        }
        if (action.RegexRewrite is { } regex) return regex.Replace(path, action.RegexSubstitution ?? "");
        return null;
    }
}

/// <summary>Envoy's header append actions on requests and responses.</summary>
public static class HeaderEditing
{
    public static void Apply(HttpRequestMessage request, HeaderEdit edit)
    {
        var exists = request.Headers.Contains(edit.Name);
        switch (edit.Append)
        {
            case HeaderAppend.AddIfAbsent when exists:
            case HeaderAppend.OverwriteIfExists when !exists:
                return;
            case HeaderAppend.OverwriteOrAdd or HeaderAppend.OverwriteIfExists:
                request.Headers.Remove(edit.Name);
                break;
        }
        request.Headers.TryAddWithoutValidation(edit.Name, edit.Value);
    }

    public static void Apply(IHeaderDictionary headers, HeaderEdit edit)
    {
        var exists = headers.ContainsKey(edit.Name);
        switch (edit.Append)
        {
            case HeaderAppend.AddIfAbsent when exists:
            case HeaderAppend.OverwriteIfExists when !exists:
                return;
            case HeaderAppend.OverwriteOrAdd or HeaderAppend.OverwriteIfExists:
                headers[edit.Name] = edit.Value;
                return;
            default:
                headers.Append(edit.Name, edit.Value);
                return;
        }
    }
}
