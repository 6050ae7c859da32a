using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Discovery;
using Mesh.Kubernetes.Fake.Errors;
using Mesh.Kubernetes.Fake.Resources;
using Microsoft.AspNetCore.Http;

namespace Mesh.Kubernetes.Fake.Http;

/// <summary>The one request handler: discovery documents, then resource paths by HTTP method (and <c>watch</c>),
/// every refusal written as a metav1.Status.</summary>
internal sealed class ApiRouter(ResourceTypes types, ResourceReads reads, ResourceWrites writes, WatchStream watches, RequestCounts counts, TokenEndpoints tokens)
{
    public async Task Handle(HttpContext context)
    {
        try
        {
            var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (Discovery(segments) is { } document)
            {
                await JsonExchange.Write(context.Response, 200, document);
                return;
            }
            if (await tokens.TryHandle(context, segments)) return;
            var path = Resource(segments) ?? throw new ApiError(404, "NotFound", "the server could not find the requested resource");
            await Dispatch(context, path);
        }
        catch (ApiError error) when (!context.Response.HasStarted)
        {
            await JsonExchange.Write(context.Response, error);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // A bug in the fake shows up in the client's error, not as an empty 500.
            await JsonExchange.Write(context.Response, new ApiError(500, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}"));
        }
    }

    private Task Dispatch(HttpContext context, ApiPath path)
    {
        var method = context.Request.Method;
        var watch = context.Request.Query["watch"] is var w && (w == "true" || w == "1");
        var (verb, handler) = (method, path.Name) switch
        {
            ("GET", null) when watch => ("watch", (Func<HttpContext, ApiPath, Task>)watches.Serve),
            ("GET", null) => ("list", reads.List),
            ("GET", _) => ("get", reads.Get),
            ("POST", null) => ("create", writes.Create),
            ("PUT", not null) => ("update", writes.Update),
            ("PATCH", not null) => ("patch", writes.Patch),
            ("DELETE", not null) => ("delete", writes.Delete),
            _ => throw ApiError.MethodNotAllowed(method.ToLowerInvariant(), path.Resource),
        };
        counts.Record(verb, path.Subresource is null ? path.Resource.ToString() : $"{path.Resource}/{path.Subresource}");
        return handler(context, path);
    }

    private JsonObject? Discovery(string[] segments) => segments switch
    {
        ["version"] => DiscoveryDocuments.Version(),
        ["api"] => DiscoveryDocuments.CoreVersions(),
        ["api", var version] => DiscoveryDocuments.Resources(types, "", version),
        ["apis"] => DiscoveryDocuments.Groups(types),
        ["apis", var group] => DiscoveryDocuments.Group(types, group),
        ["apis", var group, var version] => DiscoveryDocuments.Resources(types, group, version),
        _ => null,
    };

    private ApiPath? Resource(string[] segments) => segments switch
    {
        ["api", var version, .. var rest] => ApiPath.Parse(types, "", version, rest),
        ["apis", var group, var version, .. var rest] => ApiPath.Parse(types, group, version, rest),
        _ => null,
    };
}
