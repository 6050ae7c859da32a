using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Sidecar;

/// <summary>Finding 8 of issue 10, against real processes: durations Istio accepts (a 5 ms or 25 h route timeout, a
/// 2000 h fault delay) are honoured, never a 500 on every request.</summary>
[Collection(PlainMeshCollection.Name)]
[Trait("Category", "Sidecar")]
public sealed class RouteDurationTests(PlainMesh mesh)
{
    private static string Routes(string settings) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web, namespace: shop}
        spec:
          hosts: [{{{PlainMesh.Host}}}]
          http:
          - match:
            - headers: {x-route: {exact: slow}}
            route:
            - destination:
                host: {{{PlainMesh.Host}}}
        {{{settings}}}
          - route:
            - destination:
                host: {{{PlainMesh.Host}}}
        """;

    private static readonly string[] Slow = ["-H", "x-route: slow"];

    [Fact]
    public async Task Timeouts_outside_Pollys_range_and_a_huge_fault_delay_are_honoured()
    {
        try
        {
            // The backend's /delay/300 answers after 300 ms: a 5 ms timeout gives Envoy's 504, every time.
            await mesh.Apply(Routes("    timeout: 5ms"));
            await Timeouts.Until(async () => (await mesh.Send(PlainMesh.Host, "/delay/300", Slow)).Status == 504, TimeSpan.FromSeconds(15), "the 5 ms timeout");
            for (var i = 0; i < 3; i++) Assert.Equal(504, (await mesh.Send(PlainMesh.Host, "/delay/300", Slow)).Status);
            Assert.Equal(200, (await mesh.Send(PlainMesh.Host, "/delay/300")).Status);

            await mesh.Apply(Routes("    timeout: 25h"));
            await Timeouts.Until(async () => (await mesh.Send(PlainMesh.Host, "/delay/300", Slow)).Status == 200, TimeSpan.FromSeconds(15), "the 25 h timeout");
            for (var i = 0; i < 3; i++) Assert.Equal(200, (await mesh.Send(PlainMesh.Host, "/delay/10", Slow)).Status);

            // Held, not failed: no answer within two seconds (curl reports 000), while other requests are answered.
            await mesh.Apply(Routes("    fault: {delay: {fixedDelay: 2000h, percentage: {value: 100}}}"));
            await Timeouts.Until(async () => (await mesh.Send(PlainMesh.Host, "/", [.. Slow, "--max-time", "2"])).Status == 0, TimeSpan.FromSeconds(20), "the 2000 h delay");
            Assert.Equal(0, (await mesh.Send(PlainMesh.Host, "/", [.. Slow, "--max-time", "2"])).Status);
            Assert.Equal(200, (await mesh.Send(PlainMesh.Host, "/")).Status);
        }
        finally
        {
            await mesh.Delete("VirtualService", "web");
        }
    }
}
