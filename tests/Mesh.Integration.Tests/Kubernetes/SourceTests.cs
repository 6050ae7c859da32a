using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>The Kubernetes source end to end: kubectl writes to the (fake) API server, a real silo watches it and
/// keeps the config grains equal to what the cluster stands for.</summary>
public sealed class SourceTests(KubernetesSilo cluster) : IClassFixture<KubernetesSilo>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task KubectlApplied_ServicesPodsSlicesAndIstioKinds_AreStoredAsTheSourceOwnsThem()
    {
        await cluster.Apply(Namespace("shop") + Service("shop", "reviews") + Service("shop", "ratings")
            + Pod("shop", "reviews-v1", "reviews", "v1") + Pod("shop", "reviews-v2", "reviews", "v2") + Pod("shop", "ratings-v1", "ratings", "v1")
            + Slice("shop", "reviews", ("10.1.0.1", "reviews-v1", true), ("10.1.0.2", "reviews-v2", true))
            + Slice("shop", "ratings", ("10.1.0.3", "ratings-v1", true))
            + """
              apiVersion: networking.istio.io/v1
              kind: VirtualService
              metadata: {name: reviews, namespace: shop}
              spec:
                hosts: [reviews.shop.svc.cluster.local]
                http:
                - route:
                  - destination: {host: reviews.shop.svc.cluster.local, subset: v2}
              ---
              apiVersion: networking.istio.io/v1
              kind: VirtualService
              metadata: {name: broken, namespace: shop}
              spec:
                hosts: [reviews.shop.svc.cluster.local]
                notAField: true
              """);

        await Until(async () => (await cluster.Stored("WorkloadEntry", "shop", sourced: true)).Count == 3, "the endpoints stored");
        Assert.Equal(["ratings", "reviews"], await cluster.Stored("ServiceEntry", "shop", sourced: true));
        Assert.Equal(["ratings-10-1-0-3", "reviews-10-1-0-1", "reviews-10-1-0-2"], await cluster.Stored("WorkloadEntry", "shop", sourced: true));
        await Until(async () => (await cluster.Stored("VirtualService", "shop")).Count > 0, "the VirtualService stored");
        Assert.Equal(["reviews"], await cluster.Stored("VirtualService", "shop", sourced: true));
        var v2 = await cluster.Api.GetAsync(new GetRequest { Kind = "WorkloadEntry", Namespace = "shop", Name = "reviews-10-1-0-2" });
        Assert.Equal("v2", v2.Spec.Fields["labels"].StructValue.Fields["version"].StringValue);

        // Scaled down: the slice loses an endpoint, and its WorkloadEntry goes (TrafficTests times it at the proxies).
        await cluster.Apply(Slice("shop", "reviews", ("10.1.0.1", "reviews-v1", true)));
        await Until(async () => !(await cluster.Stored("WorkloadEntry", "shop")).Contains("reviews-10-1-0-2"), "the scaled-down endpoint gone");

        // A terminating endpoint (ready false) is no longer written either.
        await cluster.Apply(Slice("shop", "ratings", ("10.1.0.3", "ratings-v1", false)));
        await Until(async () => !(await cluster.Stored("WorkloadEntry", "shop")).Contains("ratings-10-1-0-3"), "the terminating endpoint gone");

        // Status written back: kubectl shows whether Mesh took each one, and the API refuses to change what kubectl owns.
        await Until(async () => Reconciled(await cluster.RunKubectl("", "get", "virtualservice.networking.istio.io", "reviews", "-n", "shop", "-o", "json")) == "True", "reviews Reconciled");
        await Until(async () => (await cluster.RunKubectl("", "get", "virtualservice.networking.istio.io", "broken", "-n", "shop", "-o", "json")).Contains("notAField"), "broken's validationMessages");
        var broken = System.Text.Json.Nodes.JsonNode.Parse(await cluster.RunKubectl("", "get", "virtualservice.networking.istio.io", "broken", "-n", "shop", "-o", "json"))!;
        Assert.Equal("False", Condition(broken)?["status"]?.GetValue<string>());
        Assert.Contains("spec.notAField", broken["status"]!["validationMessages"]!.ToJsonString());
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => cluster.Api.DeleteAsync(new DeleteRequest { Kind = "VirtualService", Namespace = "shop", Name = "reviews" }).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("kubectl", refused.Status.Detail);
        // A manifest whose later document is kubectl's is refused whole: its first document is not stored either.
        var manifest = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: api-written, namespace: shop}
            spec: {host: reviews}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: shop}
            spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews}}]}]}
            """;
        var mixed = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => cluster.Api.ApplyAsync(new ApplyRequest { Manifest = manifest }).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, mixed.StatusCode);
        Assert.Empty(await cluster.Stored("DestinationRule", "shop", sourced: false));

        await cluster.RunKubectl("", "delete", "virtualservice.networking.istio.io", "reviews", "-n", "shop");
        await Until(async () => (await cluster.Stored("VirtualService", "shop")).Count == 0, "the deleted VirtualService gone");
    }

    [Fact]
    public async Task CutWatchesAnd410_MidChange_StoredConfigEqualsTheApiServer()
    {
        await cluster.Apply(Namespace("churn") + string.Concat(Enumerable.Range(0, 8).Select(i => Service("churn", $"svc-{i}"))));
        await Until(async () => (await cluster.Stored("ServiceEntry", "churn")).Count == 8, "the first services stored");

        // The silo is frozen while its watches are cut, the history they would resume from is forgotten and services
        // come and go: when it thaws, its watches get 410 and must list again, while changes go on being made.
        for (var round = 0; round < 2; round++)
        {
            cluster.Silo.Process.Signal("STOP");
            try
            {
                cluster.Server.CutWatches();
                cluster.Server.ShrinkHistory(0);
                await cluster.RunKubectl("", "delete", "service", $"svc-{round}", "-n", "churn");
            }
            finally
            {
                cluster.Silo.Process.Signal("CONT");
            }
            await cluster.Apply(Service("churn", $"new-{round}"));
            await cluster.RunKubectl("", "delete", "service", $"svc-{round + 2}", "-n", "churn");
            await cluster.Apply(Service("churn", $"new-{round + 2}"));
        }
        cluster.Server.ShrinkHistory(1000);
        await cluster.Apply(Service("churn", "last"));

        string[] expected = ["last", "new-0", "new-1", "new-2", "new-3", "svc-4", "svc-5", "svc-6", "svc-7"];
        await Until(async () => (await cluster.Stored("ServiceEntry", "churn")).SequenceEqual(expected), "the stored services equal to the API server's");
        Assert.True(cluster.Server.Requests["list", "services"] >= 2, "the source listed services again after a 410");
    }

    [Fact]
    public async Task AResourceAppliedThroughTheApi_IsNeverOverwrittenByTheSource()
    {
        await cluster.Api.ApplyAsync(new ApplyRequest
        {
            Manifest = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: mine, namespace: owned}
                spec: {host: mine.owned.svc.cluster.local}
                """,
        });
        await cluster.Apply(Namespace("owned") + """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: mine, namespace: owned}
            spec: {host: other.owned.svc.cluster.local}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: theirs, namespace: owned}
            spec: {host: theirs.owned.svc.cluster.local}
            """);

        await Until(async () => (await cluster.Stored("DestinationRule", "owned")).Contains("theirs"), "the source's DestinationRule stored");
        var mine = await cluster.Api.GetAsync(new GetRequest { Kind = "DestinationRule", Namespace = "owned", Name = "mine" });
        Assert.Equal("mine.owned.svc.cluster.local", mine.Spec.Fields["host"].StringValue);
        Assert.False(mine.Metadata.Annotations.ContainsKey("mesh.io/source"));
    }

    private static Task Until(Func<Task<bool>> condition, string what, TimeSpan? limit = null) => Timeouts.Until(condition, limit ?? Settle, what);

    private static string Namespace(string name) => $"""
        apiVersion: v1
        kind: Namespace
        metadata: {"{"}name: {name}{"}"}
        ---

        """;

    private static string Service(string ns, string name) => $"""
        apiVersion: v1
        kind: Service
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        spec:
          clusterIP: 10.96.{name.Length}.{ns.Length}
          selector: {"{"}app: {name}{"}"}
          ports: [{"{"}name: http, port: 9080, targetPort: 9080{"}"}]
        ---

        """;

    private static string Pod(string ns, string name, string app, string version) => $"""
        apiVersion: v1
        kind: Pod
        metadata: {"{"}name: {name}, namespace: {ns}, labels: {"{"}app: {app}, version: {version}{"}"}{"}"}
        spec:
          serviceAccountName: {app}
          containers: [{"{"}name: app, image: app:1{"}"}]
        ---

        """;

    private static string Slice(string ns, string service, params (string Address, string Pod, bool Ready)[] endpoints) => $"""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {"{"}name: {service}-abc, namespace: {ns}, labels: {"{"}kubernetes.io/service-name: {service}{"}"}{"}"}
        addressType: IPv4
        ports: [{"{"}name: http, port: 9080, protocol: TCP{"}"}]
        endpoints:
        {string.Concat(endpoints.Select(e => $"- {"{"}addresses: [{e.Address}], conditions: {"{"}ready: {(e.Ready ? "true" : "false")}, serving: {(e.Ready ? "true" : "false")}, terminating: {(e.Ready ? "false" : "true")}{"}"}, targetRef: {"{"}kind: Pod, name: {e.Pod}, namespace: {ns}{"}"}{"}"}\n"))}
        ---

        """;

    private static System.Text.Json.Nodes.JsonNode? Condition(System.Text.Json.Nodes.JsonNode vs) =>
        (vs["status"]?["conditions"] as System.Text.Json.Nodes.JsonArray)?.FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Reconciled");

    private static string? Reconciled(string json)
    {
        var vs = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var condition = Condition(vs);
        // observedGeneration says which spec the condition is about.
        return condition?["observedGeneration"]?.GetValue<long>() == vs["metadata"]!["generation"]?.GetValue<long>() ? condition?["status"]?.GetValue<string>() : null;
    }
}
