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
    private readonly string? _hostRewrite;
    private readonly IReadOnlyList<HeaderEdits> _edits;
    private readonly Func<int, int?, bool>? _decide;

    public MeshTransformer(SidecarOptions options, ForwardState? state, Func<int, int?, bool>? decide)
    {
        _options = options;
        _state = state;
        _decide = decide;
        _hostRewrite = state?.Action.HostRewrite;
        _edits = state is null ? [] : [state.Host.Headers, state.Route.Headers, state.Picked.Headers];
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
        proxyRequest.Headers.Host = _hostRewrite ?? context.Request.Host.Value;
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
        foreach (var edits in _edits)
        {
            foreach (var name in edits.RequestRemove)
            {
                proxyRequest.Headers.Remove(name);
                proxyRequest.Content?.Headers.Remove(name);
            }
            foreach (var edit in edits.RequestAdd) HeaderEditing.Apply(proxyRequest, edit);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext context, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null)
        {
            Status = (int)proxyResponse.StatusCode;
            int? grpcStatus = proxyResponse.Headers.TryGetValues("grpc-status", out var values) && int.TryParse(values.FirstOrDefault(), out var code) ? code : null;
            if (_decide is not null && !_decide(Status, grpcStatus))
            {
                Committed = false;
                return false;
            }
        }
        Committed = true;
        var copy = await base.TransformResponseAsync(context, proxyResponse, cancellationToken);
        foreach (var edits in _edits)
        {
            foreach (var name in edits.ResponseRemove) context.Response.Headers.Remove(name);
            foreach (var edit in edits.ResponseAdd) HeaderEditing.Apply(context.Response.Headers, edit);
        }
        return copy;
    }

    /// <summary>The upstream path after the route's prefix or regex rewrite, or null when it is unchanged.</summary>
    private static string? Rewrite(string path, ForwardState state)
    {
        var action = state.Action;
        if (action.PrefixRewrite is { } prefix && state.Route.Match.PathKind is Matching.PathKind.Prefix or Matching.PathKind.SeparatedPrefix)
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
