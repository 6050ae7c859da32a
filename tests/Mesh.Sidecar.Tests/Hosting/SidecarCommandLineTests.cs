using Mesh.Sidecar.Hosting;

namespace Mesh.Sidecar.Tests.Hosting;

public sealed class SidecarCommandLineTests
{
    private static (SidecarOptions? Options, IReadOnlyList<string> Errors) Parse(string arguments, Dictionary<string, string>? environment = null)
        => SidecarCommandLine.Parse(SidecarCommandLine.Command.Parse(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
            name => environment?.GetValueOrDefault(name));

    [Fact]
    public void A_gateway_listens_on_its_ports_with_a_router_node_id_and_one_listener_per_port()
    {
        var (options, errors) = Parse("--mode gateway --listen 8080,8443 --xds 127.0.0.1:15010 --namespace istio-system --workload ingress-1 --address 10.0.0.7 --labels istio=ingressgateway");

        Assert.Empty(errors);
        Assert.Equal((ProxyMode.Gateway, true), (options!.Mode, options.Gateway));
        Assert.Equal([8080, 8443], options.ListenPorts);
        Assert.Equal("router~10.0.0.7~ingress-1.istio-system~istio-system.svc.cluster.local", options.NodeId);
        Assert.Equal("gateway|istio-system|ingress-1|8443", options.GatewayListeners[8443]);
        Assert.Equal("ingressgateway", options.Labels["istio"]);
    }

    [Fact]
    public void The_mode_and_ports_can_come_from_the_environment()
    {
        var (options, errors) = Parse("--xds 127.0.0.1:15010", new() { ["MESH_MODE"] = "gateway", ["MESH_LISTEN"] = "80" });

        Assert.Empty(errors);
        Assert.Equal([80], options!.ListenPorts);
    }

    [Fact]
    public void A_sidecar_is_the_default()
    {
        var (options, errors) = Parse("--xds 127.0.0.1:15010 --workload web-1");

        Assert.Empty(errors);
        Assert.Equal(ProxyMode.Sidecar, options!.Mode);
        Assert.StartsWith("sidecar~", options.NodeId);
        Assert.Empty(options.GatewayListeners);
    }

    [Theory]
    [InlineData("--mode gateway", "--listen: gateway mode needs the ports to serve, PORT[,PORT...] (or set MESH_LISTEN)")]
    [InlineData("--mode gateway --listen 8080,http", "--listen: \"http\" is not a port (1-65535)")]
    [InlineData("--mode gateway --listen 8080,8080", "--listen: a port is listed twice")]
    [InlineData("--mode gateway --listen 15000", "the --listen, admin, health and metrics ports must all differ")]
    [InlineData("--mode gateway --listen 8080 --app-port 9080", "--app-port: a gateway has no application, outbound or inbound listener; leave it out in gateway mode")]
    [InlineData("--mode gateway --listen 8080 --inbound-port 15007", "--inbound-port: a gateway has no application, outbound or inbound listener; leave it out in gateway mode")]
    [InlineData("--listen 8080", "--listen is for gateway mode only (add --mode gateway)")]
    [InlineData("--mode ingress", "--mode: \"ingress\" is not a mode (sidecar or gateway)")]
    public void Bad_gateway_flags_are_refused_with_what_to_do(string arguments, string error)
    {
        var (options, errors) = Parse($"--xds 127.0.0.1:15010 {arguments}");

        Assert.Null(options);
        Assert.Equal(error, Assert.Single(errors));
    }

    [Fact]
    public void The_apps_probes_come_from_the_injectors_variable_and_a_bad_one_stops_the_start()
    {
        var (options, errors) = Parse("--xds 127.0.0.1:15010", new() { ["MESH_KUBE_APP_PROBERS"] = """{"/app-health/web/readyz": {"tcpSocket": {"port": 8080}}}""" });
        Assert.Empty(errors);
        Assert.Equal(8080, options!.AppProbers["/app-health/web/readyz"].Port);

        var (refused, problems) = Parse("--xds 127.0.0.1:15010", new() { ["MESH_KUBE_APP_PROBERS"] = """{"/app-health/web/readyz": {}}""" });
        Assert.Null(refused);
        Assert.Contains("MESH_KUBE_APP_PROBERS[/app-health/web/readyz]: expected httpGet or tcpSocket", problems);
    }
}
