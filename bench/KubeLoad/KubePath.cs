using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Mesh.Bench.KubeLoad;

/// <summary>The mesh held by the (fake) Kubernetes API server, written over its HTTP API as a controller writes:
/// a create per object, a PUT of the whole object per change. A change's write returns once the API server stored it.</summary>
public sealed class KubePath(Uri apiServer) : IMeshPath
{
    public const string Namespace = "kbench";
    private const int Mesh = 1;
    private readonly HttpClient _http = new() { BaseAddress = apiServer, Timeout = TimeSpan.FromSeconds(30) };

    public string Name => "kubernetes";

    public string Host(int service) => $"{KubeObjects.Name(service)}.{Namespace}.svc.cluster.local";

    public string AddedAddress(int service) => MeshShape.Address(Mesh, service, 2);

    public async Task Seed(int services)
    {
        await Send(HttpMethod.Post, "/api/v1/namespaces", KubeObjects.Namespace(Namespace));
        // Pods first, as a cluster has them before their endpoints are published.
        await Parallel.ForAsync(0, services, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            for (var pod = 0; pod < 3; pod++) await Send(HttpMethod.Post, Core("pods"), KubeObjects.Pod(Namespace, i, pod));
            await Send(HttpMethod.Post, Core("services"), KubeObjects.Service(Namespace, i));
            await Send(HttpMethod.Post, Slices(), Slice(i, withAdded: false));
            await Send(HttpMethod.Post, Rules(), KubeObjects.DestinationRule(Namespace, Host(i), i, MeshShape.InitialMaxConnections));
        });
    }

    public Task WriteEndpoints(int service, bool withAdded) =>
        Send(HttpMethod.Put, $"{Slices()}/{KubeObjects.Name(service)}-abc", Slice(service, withAdded));

    public Task WriteMaxConnections(int service, int value) =>
        Send(HttpMethod.Put, $"{Rules()}/{KubeObjects.Name(service)}", KubeObjects.DestinationRule(Namespace, Host(service), service, value));

    private JsonObject Slice(int service, bool withAdded) =>
        KubeObjects.Slice(Namespace, service, Enumerable.Range(0, withAdded ? 3 : 2).Select(i => (i, MeshShape.Address(Mesh, service, i))));

    private static string Core(string resource) => $"/api/v1/namespaces/{Namespace}/{resource}";

    private static string Slices() => $"/apis/discovery.k8s.io/v1/namespaces/{Namespace}/endpointslices";

    private static string Rules() => $"/apis/networking.istio.io/v1/namespaces/{Namespace}/destinationrules";

    private async Task Send(HttpMethod method, string path, JsonObject body)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
