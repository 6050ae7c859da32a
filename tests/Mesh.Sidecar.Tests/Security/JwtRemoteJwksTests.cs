using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Security;
using static Mesh.Sidecar.Tests.Security.JwtConfigs;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>remote_jwks: fetched through the host's fetcher, cached for cache_duration, failures not cached.</summary>
public sealed class JwtRemoteJwksTests
{
    private const string JwksUri = "https://issuer.example.com/.well-known/jwks.json";

    // Shared by the tests of this class (which run one at a time): an RSA key takes long to make on a small machine.
    private static readonly SigningKey Key = SigningKey.Rsa();
    private readonly ManualTime _time = new(Now);
    private readonly List<Uri> _fetched = [];
    private Func<string> _document = () => SigningKey.Jwks(Key);

    [Fact]
    public async Task Keys_are_fetched_once_and_kept_for_the_cache_duration()
    {
        var authenticator = Authenticator(TimeSpan.FromMinutes(5));

        for (var i = 0; i < 3; i++) Assert.True((await authenticator.Authenticate(Request(Key.Sign(Claims())))).Allowed);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await authenticator.Authenticate(Request(Key.Sign(Claims())))).Allowed);

        Assert.Equal([new Uri(JwksUri), new Uri(JwksUri)], _fetched);
    }

    [Fact]
    public async Task Without_a_cache_duration_keys_are_kept_ten_minutes()
    {
        var authenticator = Authenticator(null);

        await authenticator.Authenticate(Request(Key.Sign(Claims())));
        _time.Advance(TimeSpan.FromMinutes(9));
        await authenticator.Authenticate(Request(Key.Sign(Claims())));
        _time.Advance(TimeSpan.FromMinutes(1));
        await authenticator.Authenticate(Request(Key.Sign(Claims())));

        Assert.Equal(2, _fetched.Count);
    }

    [Theory]
    [InlineData("throws")]
    [InlineData("not JSON")]
    [InlineData("no usable key")]
    public async Task A_failed_fetch_fails_the_token_and_the_next_request_fetches_again(string failure)
    {
        _document = failure switch
        {
            "throws" => () => throw new HttpRequestException("connection refused"),
            "not JSON" => () => "<html>",
            _ => () => """{"keys": []}""",
        };
        var authenticator = Authenticator(TimeSpan.FromMinutes(5));

        var failed = await authenticator.Authenticate(Request(Key.Sign(Claims())));
        _document = () => SigningKey.Jwks(Key);
        var recovered = await authenticator.Authenticate(Request(Key.Sign(Claims())));

        Assert.Equal("Jwks remote fetch is failed", failed.Message);
        Assert.Equal(401, failed.StatusCode);
        Assert.True(recovered.Allowed);
        Assert.Equal(2, _fetched.Count);
    }

    [Fact]
    public async Task No_fetch_happens_for_a_token_refused_before_its_signature_is_checked()
    {
        var result = await Authenticator(null).Authenticate(Request(Key.Sign(Claims(("exp", 1)))));

        Assert.Equal("Jwt is expired", result.Message);
        Assert.Empty(_fetched);
    }

    [Fact]
    public async Task Requests_waiting_for_keys_share_one_fetch()
    {
        var release = new TaskCompletionSource();
        var fetches = 0;
        var config = Istio(Remote(null));
        var authenticator = JwtAuthenticator.Compile(config, new JwtAuthenticatorOptions
        {
            Time = _time,
            FetchJwks = async (_, cancellationToken) =>
            {
                Interlocked.Increment(ref fetches);
                await release.Task.WaitAsync(cancellationToken);
                return SigningKey.Jwks(Key);
            },
        });

        var waiting = Enumerable.Range(0, 8).Select(_ => authenticator.Authenticate(Request(Key.Sign(Claims()))).AsTask()).ToArray();
        release.SetResult();
        var results = await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(results, result => Assert.True(result.Allowed));
        Assert.Equal(1, fetches);
    }

    [Fact]
    public async Task The_http_fetcher_treats_anything_but_200_as_a_failure()
    {
        using var client = new HttpClient(new StaticHandler());
        var fetch = JwtAuthenticatorOptions.HttpFetch(client);

        Assert.Equal("""{"keys":[]}""", await fetch(new Uri("https://keys.example.com/ok"), CancellationToken.None));
        await Assert.ThrowsAsync<HttpRequestException>(() => fetch(new Uri("https://keys.example.com/missing"), CancellationToken.None));
    }

    private JwtAuthenticator Authenticator(TimeSpan? cacheDuration)
        => JwtAuthenticator.Compile(Istio(Remote(cacheDuration)), new JwtAuthenticatorOptions
        {
            Time = _time,
            FetchJwks = (uri, _) =>
            {
                _fetched.Add(uri);
                return Task.FromResult(_document());
            },
        });

    private static JwtProvider Remote(TimeSpan? cacheDuration)
    {
        var provider = Provider("unused");
        provider.RemoteJwks = new RemoteJwks
        {
            HttpUri = new HttpUri { Uri = JwksUri, Cluster = "outbound|443||issuer.example.com", Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) },
            CacheDuration = cacheDuration is { } duration ? Duration.FromTimeSpan(duration) : null,
        };
        return provider;
    }

    private sealed class StaticHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(request.RequestUri!.AbsolutePath == "/ok"
                ? new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("""{"keys":[]}""") }
                : new HttpResponseMessage(System.Net.HttpStatusCode.NotFound));
    }
}
