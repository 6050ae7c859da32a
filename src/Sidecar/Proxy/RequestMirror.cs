using Mesh.Sidecar.Config;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Proxy.Paths;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy;

/// <summary>Request mirroring: for each of the route's mirror policies that its fraction selects, a copy goes to an
/// endpoint of the mirror cluster, Host suffixed <c>-shadow</c> as Envoy does, and its answer is ignored. Requests
/// with a body are not mirrored (bodies are not kept).</summary>
public sealed class RequestMirror(SidecarOptions options, YarpClusters yarp, ClusterRuntimes runtimes)
{
    private static readonly TimeSpan ShadowTimeout = TimeSpan.FromSeconds(30);

    public void Send(ForwardState state)
    {
        if (state.HasBody) return;
        foreach (var mirror in state.Action.Mirrors)
        {
            if (!mirror.Fraction.Roll(Random.Shared.NextDouble())) continue;
            if (!state.Model.Clusters.TryGetValue(mirror.Cluster, out var cluster) || yarp.Find(mirror.Cluster) is not { } target) continue;
            var destination = LoadBalancer.Pick(cluster, runtimes.For(cluster.Name), target.DestinationsState.AvailableDestinations, options.Locality, null, null);
            if (destination is null) continue;
            var copy = Copy(state.Context.Request, destination.Model.Config.Address, ForwardState.UsesHttp2(state.Context, cluster));
            _ = Shadow(target.Model.HttpClient, copy);
        }
    }

    /// <summary>The shadow request: method, path, query and headers of <paramref name="request"/>, sent to
    /// <paramref name="address"/> with the Host <c>HOST-shadow[:PORT]</c>.</summary>
    internal static HttpRequestMessage Copy(HttpRequest request, string address, bool http2)
    {
        var copy = new HttpRequestMessage(new HttpMethod(request.Method), RequestTarget.Upstream(address, request.Path.Value ?? "/", request.QueryString.Value))
        {
            Version = http2 ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith(':') || name.Equals("host", StringComparison.OrdinalIgnoreCase)) continue;
            if (!copy.Headers.TryAddWithoutValidation(name, values.ToArray())) copy.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        copy.Headers.Host = $"{request.Host.Host}-shadow{(request.Host.Port is { } p ? ":" + p : "")}";
        return copy;
    }

    private static async Task Shadow(HttpMessageInvoker client, HttpRequestMessage request)
    {
        try
        {
            using var timeout = new CancellationTokenSource(ShadowTimeout);
            using var response = await client.SendAsync(request, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
        }
        finally
        {
            request.Dispose();
        }
    }
}
