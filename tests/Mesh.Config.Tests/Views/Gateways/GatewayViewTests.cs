using System.Text.Json.Nodes;
using Mesh.Config.Views.Gateways;

namespace Mesh.Config.Tests.Views.Gateways;

public sealed class GatewayViewTests
{
    [Fact]
    public void From_ReadsSelectorAndServers()
    {
        var view = GatewayView.From(JsonNode.Parse("""
            {"selector": {"istio": "ingressgateway"},
             "servers": [
               {"port": {"number": 443, "name": "https", "protocol": "https"}, "hosts": ["bookinfo/*.example.com"],
                "tls": {"mode": "SIMPLE", "credentialName": "example-cert"}},
               {"port": {"number": 80, "name": "http", "protocol": "HTTP", "targetPort": 8080}, "hosts": ["*"]}]}
            """)!.AsObject());

        Assert.Equal("ingressgateway", view.Selector["istio"]);
        Assert.Equal(new GatewayPort(443, "HTTPS", "https", 0), view.Servers[0].Port);
        Assert.Equal(["bookinfo/*.example.com"], view.Servers[0].Hosts);
        Assert.Equal(("SIMPLE", "example-cert", false), (view.Servers[0].Tls!.Mode, view.Servers[0].Tls!.CredentialName, view.Servers[0].Tls!.HttpsRedirect));
        Assert.Equal(8080, view.Servers[1].Port.TargetPort);
        Assert.Null(view.Servers[1].Tls);
    }
}
