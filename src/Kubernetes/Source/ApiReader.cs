using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Source;

/// <summary>List and watch of any kind as JSON objects, through the official client's HTTP pipeline (its base URL,
/// TLS settings and credentials, whether from a kubeconfig, in-cluster or a plain URL). The client's own watch
/// is typed per kind and reads the first line before it returns; the source needs one loop for every kind, core
/// and CRDs alike, and to see an ERROR event as it is, so it reads the stream itself.</summary>
public sealed class ApiReader(k8s.Kubernetes client)
{
    /// <summary>One page of a list: its items, the list's resourceVersion, and the token of the next page (empty on the last).</summary>
    public sealed record Page(IReadOnlyList<JsonObject> Items, string ResourceVersion, string Continue);

    public async Task<Page> List(ApiResource resource, int limit, string? continueToken, CancellationToken cancellation)
    {
        var query = $"limit={limit}" + (string.IsNullOrEmpty(continueToken) ? "" : $"&continue={Uri.EscapeDataString(continueToken)}");
        using var response = await Send(resource, query, HttpCompletionOption.ResponseContentRead, cancellation);
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellation)) as JsonObject
            ?? throw new ApiServerException(resource, (int)response.StatusCode, "the list is not a JSON object");
        var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => i.DeepClone().AsObject()).ToList();
        var metadata = list["metadata"] as JsonObject;
        return new Page(items, metadata?["resourceVersion"]?.GetValue<string>() ?? "", metadata?["continue"]?.GetValue<string>() ?? "");
    }

    /// <summary>Whether the server serves <paramref name="resource"/> (its group version's discovery document lists
    /// it): a CRD that is not installed is skipped, not watched into endless 404s.</summary>
    public async Task<bool> Serves(ApiResource resource, CancellationToken cancellation)
    {
        var path = resource.Group.Length == 0 ? $"api/{resource.Version}" : $"apis/{resource.Group}/{resource.Version}";
        using var response = await Get(path, HttpCompletionOption.ResponseContentRead, cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        if (!response.IsSuccessStatusCode) throw new ApiServerException(resource, (int)response.StatusCode, "discovery failed");
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellation)) as JsonObject;
        return (document?["resources"] as JsonArray ?? []).OfType<JsonObject>().Any(r => r["name"]?.GetValue<string>() == resource.Resource);
    }

    /// <summary>The events after <paramref name="resourceVersion"/>, with bookmarks, until the server ends the stream.
    /// An ERROR event ends it with <see cref="ResourceGoneException"/> (code 410) or <see cref="ApiServerException"/>.</summary>
    public async IAsyncEnumerable<WatchEvent> Watch(ApiResource resource, string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var query = $"watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={(int)Math.Max(1, timeout.TotalSeconds)}";
        using var response = await Send(resource, query, HttpCompletionOption.ResponseHeadersRead, cancellation);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation));
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            if (line.Length == 0) continue;
            var parsed = JsonNode.Parse(line) as JsonObject;
            if (parsed?["type"]?.GetValue<string>() is not { } type || parsed["object"] is not JsonObject obj)
            {
                throw new ApiServerException(resource, 0, $"a watch line is not an event: {Shorten(line)}");
            }
            if (type == WatchEvent.Error) throw Failure(resource, obj);
            yield return new WatchEvent(type, obj.DeepClone().AsObject());
        }
    }

    private async Task<HttpResponseMessage> Send(ApiResource resource, string query, HttpCompletionOption completion, CancellationToken cancellation)
    {
        if (resource.FieldSelector is { Length: > 0 } fields) query += $"&fieldSelector={Uri.EscapeDataString(fields)}";
        var response = await Get($"{resource.Path}?{query}", completion, cancellation);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellation);
            var status = TryParse(body);
            if (response.StatusCode == HttpStatusCode.Gone) throw new ResourceGoneException(resource, status?["message"]?.GetValue<string>() ?? "410 Gone");
            throw new ApiServerException(resource, (int)response.StatusCode, status?["message"]?.GetValue<string>() ?? Shorten(body));
        }
    }

    /// <summary>A GET relative to the server's base URL (which may carry a path, behind a proxy), with the client's credentials.</summary>
    private async Task<HttpResponseMessage> Get(string relative, HttpCompletionOption completion, CancellationToken cancellation)
    {
        var root = client.BaseUri.AbsoluteUri.EndsWith('/') ? client.BaseUri : new Uri(client.BaseUri.AbsoluteUri + "/");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, relative));
        request.Headers.Accept.ParseAdd("application/json");
        if (client.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, cancellation);
        return await client.HttpClient.SendAsync(request, completion, cancellation);
    }

    /// <summary>The exception an ERROR event's <c>metav1.Status</c> stands for.</summary>
    private static Exception Failure(ApiResource resource, JsonObject status)
    {
        var code = status["code"]?.GetValue<int>() ?? 0;
        var message = status["message"]?.GetValue<string>() ?? "";
        return code == (int)HttpStatusCode.Gone ? new ResourceGoneException(resource, message) : new ApiServerException(resource, code, message);
    }

    private static JsonObject? TryParse(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
