using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Mesh.Xds.Resources;
using Mesh.Xds.Security;
using Mesh.Xds.Translation.Gateways;

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

    [Fact]
    public async Task A_granted_credential_of_another_namespace_goes_to_a_gateway_only_while_its_Gateway_carries_it()
    {
        const string granted = "kubernetes-gateway://shop/web";
        var carried = new List<BoundGateway> { Tests.Security.CredentialEntitlementTests.Carrying(granted, "bank") };
        await using var stream = StreamHarness.Sotw(new CredentialEntitlement((ns, workload) =>
            Task.FromResult<IReadOnlyList<BoundGateway>>(ns == "bank" && workload == "ingress-1" ? [.. carried] : [])));
        var first = stream.Cache.Set(TypeUrls.Secret, granted, "v1");
        var request = Request(BankGateway);
        request.ResourceNames[0] = granted;
        stream.Send(request);
        var response = await stream.Next();
        Assert.Equal(first.Payload, Assert.Single(response.Resources));

        // The grant revoked (the conversion drops the name from the Gateway): the next push leaves it out.
        carried.Clear();
        var answer = Request(BankGateway, response);
        answer.ResourceNames[0] = granted;
        stream.Send(answer);
        stream.Cache.Set(TypeUrls.Secret, granted, "v2");
        stream.Cache.Announce((TypeUrls.Secret, granted));
        Assert.Empty((await stream.Next()).Resources);
    }

    public static TheoryData<string, Node> NotEntitled() => new() { { "sidecar", ShopSidecar }, { "other namespace", BankGateway } };
}
