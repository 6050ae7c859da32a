using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Mesh.Kubernetes.Fake.Tests.Infrastructure;

namespace Mesh.Kubernetes.Fake.Tests.Authentication;

/// <summary>TokenRequest and TokenReview as the API documents them: a bound token for an existing service account and
/// its audiences, authenticated only by the server that issued it, for an audience both sides share.</summary>
public sealed class TokenTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.Start();
        _client = Clients.For(_server);
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "reviews" } }, "default");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task TokenForAudience_ReviewsAsTheServiceAccountForThatAudienceOnly()
    {
        var issued = await Request("reviews", ["istio-ca"], 43200);
        Assert.True(issued.Status.ExpirationTimestamp > DateTime.UtcNow.AddHours(11));
        var claims = JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlDecode(issued.Status.Token.Split('.')[1])))!;
        Assert.Equal("system:serviceaccount:default:reviews", claims["sub"]!.GetValue<string>());

        var review = await Review(issued.Status.Token, ["istio-ca"]);
        Assert.True(review.Authenticated);
        Assert.Equal("system:serviceaccount:default:reviews", review.User.Username);
        Assert.Contains("system:serviceaccounts:default", review.User.Groups);
        Assert.Equal(["istio-ca"], review.Audiences);

        var elsewhere = await Review(issued.Status.Token, ["vault"]);
        Assert.NotEqual(true, elsewhere.Authenticated);
        Assert.Contains("audiences", elsewhere.Error);
    }

    [Fact]
    public async Task TokenWithoutAudience_IsForTheApiServerItself()
    {
        var issued = await Request("reviews", null, null);

        Assert.NotEqual(true, (await Review(issued.Status.Token, ["istio-ca"])).Authenticated);
        var review = await Review(issued.Status.Token, null);
        Assert.True(review.Authenticated);
    }

    [Fact]
    public async Task ForeignToken_AndTokenOfADeletedAccount_AreNotAuthenticated()
    {
        Assert.NotEqual(true, (await Review("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", ["istio-ca"])).Authenticated);

        var issued = await Request("reviews", ["istio-ca"], 3600);
        await _client.CoreV1.DeleteNamespacedServiceAccountAsync("reviews", "default");
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "reviews" } }, "default");

        var review = await Review(issued.Status.Token, ["istio-ca"]);
        Assert.NotEqual(true, review.Authenticated);
        Assert.Contains("deleted", review.Error);
    }

    [Fact]
    public async Task ShortLifetime_Is422WithTheFieldPath_AndUnknownAccountIs404()
    {
        var tooShort = await Assert.ThrowsAsync<HttpOperationException>(() => Request("reviews", ["istio-ca"], 599));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooShort.Response.StatusCode);
        Assert.Contains("spec.expirationSeconds: may not specify a duration less than 10 minutes", tooShort.Response.Content);

        var unknown = await Assert.ThrowsAsync<HttpOperationException>(() => Request("ratings", ["istio-ca"], 3600));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Response.StatusCode);
    }

    private Task<Authenticationv1TokenRequest> Request(string account, IList<string>? audiences, long? seconds) =>
        _client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = audiences ?? [], ExpirationSeconds = seconds } }, account, "default");

    private async Task<V1TokenReviewStatus> Review(string token, IList<string>? audiences) =>
        (await _client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token, Audiences = audiences } })).Status;

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }
}
