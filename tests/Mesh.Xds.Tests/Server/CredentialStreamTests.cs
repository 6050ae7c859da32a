using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Tests.Server;

/// <summary>Gateway credentials on a stream: only a router of the credential's namespace gets them, and a
/// replacement reaches it on the open stream.</summary>
public sealed class CredentialStreamTests
{
    private const string Credential = "kubernetes://shop/web";
    private static readonly Node ShopGateway = new() { Id = "router~10.0.0.9~ingress-1.shop~shop.svc.cluster.local" };
    private static readonly Node BankGateway = new() { Id = "router~10.0.0.9~ingress-1.bank~bank.svc.cluster.local" };
    private static readonly Node ShopSidecar = new() { Id = "sidecar~10.0.0.1~web-1.shop~shop.svc.cluster.local" };

    private static DiscoveryRequest Request(Node node, DiscoveryResponse? answering = null) => new()
    {
        TypeUrl = TypeUrls.Secret,
        Node = node,
        ResponseNonce = answering?.Nonce ?? "",
        VersionInfo = answering?.VersionInfo ?? "",
        ResourceNames = { Credential },
    };

    [Fact]
    public async Task A_gateway_of_the_namespace_gets_the_credential_and_its_replacement()
    {
        await using var stream = StreamHarness.Sotw();
        var first = stream.Cache.Set(TypeUrls.Secret, Credential, "v1");
        stream.Send(Request(ShopGateway));
        var response = await stream.Next();
        Assert.Equal(first.Payload, Assert.Single(response.Resources));

        stream.Send(Request(ShopGateway, response));
        var replaced = stream.Cache.Set(TypeUrls.Secret, Credential, "v2");
        stream.Cache.Announce((TypeUrls.Secret, Credential));

        Assert.Equal(replaced.Payload, Assert.Single((await stream.Next()).Resources));
    }

    [Theory]
    [MemberData(nameof(NotEntitled))]
    public async Task A_sidecar_or_a_gateway_of_another_namespace_gets_nothing(string _, Node node)
    {
        await using var stream = StreamHarness.Sotw();
        stream.Cache.Set(TypeUrls.Secret, Credential);
        stream.Send(Request(node));

        Assert.Empty((await stream.Next()).Resources);
    }

    public static TheoryData<string, Node> NotEntitled() => new() { { "sidecar", ShopSidecar }, { "other namespace", BankGateway } };
}
