using k8s;
using k8s.Models;

namespace Mesh.Kubernetes.Fake.Tests.Infrastructure;

/// <summary>The official C# client (KubernetesClient) pointed at a fake server, and the objects tests write.</summary>
public static class Clients
{
    public static k8s.Kubernetes For(FakeApiServer server) =>
        new(new KubernetesClientConfiguration { Host = server.Url.ToString().TrimEnd('/') });

    public static V1Service Service(string name, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = labels },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 9080 }] },
    };
}
