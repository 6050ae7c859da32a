using k8s;
using k8s.Models;
using Mesh.Kubernetes.Registry;
using static Mesh.Kubernetes.Tests.Registry.Rendering;

namespace Mesh.Kubernetes.Tests.Registry;

/// <summary>Objects as kubectl would show them, parsed by the client's own YAML reader.</summary>
public class YamlFixtureTests
{
    private const string Bookinfo = """
        apiVersion: v1
        kind: Service
        metadata: {name: ratings, namespace: bookinfo, annotations: {networking.istio.io/exportTo: "."}}
        spec:
          type: ClusterIP
          clusterIP: 10.96.3.4
          clusterIPs: [10.96.3.4]
          selector: {app: ratings}
          ports:
          - {name: http, port: 9080, targetPort: 9080, protocol: TCP}
          - {name: metrics, port: 15090, targetPort: 15090, protocol: TCP, appProtocol: http}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: ratings-7x2kq
          namespace: bookinfo
          labels: {kubernetes.io/service-name: ratings, endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io}
        addressType: IPv4
        ports:
        - {name: http, port: 9080, protocol: TCP}
        - {name: metrics, port: 15090, protocol: TCP, appProtocol: http}
        endpoints:
        - addresses: [10.244.1.7]
          conditions: {ready: true, serving: true, terminating: false}
          nodeName: kind-worker
          zone: eu-west1-b
          targetRef: {kind: Pod, name: ratings-v1-5d9f, namespace: bookinfo, uid: 4f1c}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: ratings-v1-5d9f
          namespace: bookinfo
          uid: 4f1c
          labels: {app: ratings, version: v1}
        spec:
          serviceAccountName: bookinfo-ratings
          nodeName: kind-worker
          containers: [{name: ratings, image: ratings:1.0}]
        ---
        apiVersion: v1
        kind: Node
        metadata:
          name: kind-worker
          labels: {topology.kubernetes.io/region: eu-west1}
        """;

    [Fact]
    public void KubectlShapedObjects_MapToTheRegistry()
    {
        var objects = KubernetesYaml.LoadAllFromString(Bookinfo).Cast<IKubernetesObject<V1ObjectMeta>>();
        var registry = RegistryMapping.Map(ClusterSnapshot.Of(objects));

        Assert.Equal(
            """{"hosts":["ratings.bookinfo.svc.cluster.local"],"addresses":["10.96.3.4"],"ports":[{"number":9080,"name":"http","protocol":"HTTP","targetPort":9080},{"number":15090,"name":"metrics","protocol":"HTTP","targetPort":15090}],"location":"MESH_INTERNAL","resolution":"STATIC","workloadSelector":{"labels":{"mesh.io/kubernetes-service":"ratings"}},"exportTo":["."]}""",
            Spec(registry, "ServiceEntry/bookinfo/ratings"));
        Assert.Equal(
            """{"address":"10.244.1.7","ports":{"http":9080,"metrics":15090},"labels":{"app":"ratings","mesh.io/kubernetes-service":"ratings","version":"v1"},"locality":"eu-west1/eu-west1-b","serviceAccount":"bookinfo-ratings"}""",
            Spec(registry, "WorkloadEntry/bookinfo/ratings-10-244-1-7"));
        Assert.Empty(registry.Problems);
        Assert.Empty(registry.Pending);
    }
}
