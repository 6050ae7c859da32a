using Envoy.Config.Cluster.V3;
using Envoy.Service.Discovery.V3;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Tests.Server;

public sealed class SotwStreamTests
{
    private const string Cds = TypeUrls.Cluster;
    private const string Eds = TypeUrls.Endpoint;

    private static DiscoveryRequest Request(string type, DiscoveryResponse? answering = null, string? ackedVersion = null, string? error = null, params string[] names)
    {
        var request = new DiscoveryRequest
        {
            TypeUrl = type,
            Node = StreamHarness<DiscoveryRequest, DiscoveryResponse>.Node,
            ResponseNonce = answering?.Nonce ?? "",
            VersionInfo = ackedVersion ?? answering?.VersionInfo ?? "",
        };
        request.ResourceNames.Add(names);
        if (error is not null) request.ErrorDetail = new Google.Rpc.Status { Code = 3, Message = error };
        return request;
    }

    private static string[] Names(DiscoveryResponse response) => [.. response.Resources.Select(r => r.Unpack<Cluster>().Name)];

    /// <summary>A request the stream must answer at once: when its answer is the next response, nothing was sent before it.</summary>
    private static async Task AssertNothingSent(StreamHarness<DiscoveryRequest, DiscoveryResponse> stream)
    {
        stream.Send(Request(TypeUrls.Secret, names: "barrier"));
        Assert.Equal(TypeUrls.Secret, (await stream.Next()).TypeUrl);
    }

    /// <summary>Acknowledges a response, and waits until the stream has taken the ACK (which it does not answer).</summary>
    private static async Task Ack(StreamHarness<DiscoveryRequest, DiscoveryResponse> stream, DiscoveryResponse response, params string[] names)
    {
        stream.Send(Request(response.TypeUrl, response, names: names));
        await AssertNothingSent(stream);
    }

    [Fact]
    public async Task FirstRequest_IsAnsweredWithTheNamedResourcesThatExist_AndWatchesEveryName()
    {
        await using var stream = StreamHarness.Sotw();
        stream.Cache.Set(Cds, "a");
        stream.Cache.Set(Cds, "b");

        stream.Send(Request(Cds, names: ["b", "a", "missing"]));
        var response = await stream.Next();

        Assert.Equal(["a", "b"], Names(response));
        Assert.NotEmpty(response.VersionInfo);
        Assert.NotEmpty(response.Nonce);
        Assert.True(stream.Cache.IsWatched(Cds, "missing"));
    }

    [Fact]
    public async Task Ack_AdvancesTheAckedVersion()
    {
        await using var stream = StreamHarness.Sotw();
        stream.Cache.Set(Cds, "a");
        stream.Send(Request(Cds, names: "a"));
        var first = await stream.Next();
        await Ack(stream, first, "a");

        stream.Cache.Set(Cds, "a", "v2");
        stream.Cache.Announce((Cds, "a"));
        var second = await stream.Next();
        await Ack(stream, second, "a");
        await stream.End();

        Assert.NotEqual(first.VersionInfo, second.VersionInfo);
        Assert.Equal(second.VersionInfo, stream.Reported.Of(Cds).AckedVersion);
        Assert.Equal(second.Nonce, stream.Reported.Of(Cds).AckedNonce);
    }

    [Fact]
    public async Task Nack_KeepsTheLastAckedVersion_RecordsTheError_AndSendsNothingMore()
    {
        await using var stream = StreamHarness.Sotw();
        stream.Cache.Set(Cds, "a");
        stream.Send(Request(Cds, names: "a"));
        var good = await stream.Next();
        await Ack(stream, good, "a");
        stream.Cache.Set(Cds, "a", "bad");
        stream.Cache.Announce((Cds, "a"));
        var bad = await stream.Next();

        stream.Send(Request(Cds, bad, ackedVersion: good.VersionInfo, error: "cluster a: bad", names: "a"));
        await AssertNothingSent(stream);
        await stream.End();

        var status = stream.Reported.Of(Cds);
        Assert.Equal(good.VersionInfo, status.AckedVersion);
        Assert.Equal("cluster a: bad", status.NackError);
        Assert.Equal(bad.Nonce, status.NackedNonce);
    }

    [Fact]
    public async Task ARequestAnsweringAnOlderResponse_IsIgnored()
    {
        await using var stream = StreamHarness.Sotw();
        stream.Cache.Set(Cds, "a");
        stream.Cache.Set(Cds, "b");
        stream.Send(Request(Cds, names: "a"));
        var older = await stream.Next();
        stream.Cache.Set(Cds, "a", "v2");
        stream.Cache.Announce((Cds, "a"));
        await stream.Next();

        stream.Send(Request(Cds, older, error: "late", names: ["a", "b"]));
        await AssertNothingSent(stream);
        await stream.End();

        Assert.False(stream.Cache.IsWatched(Cds, "b"));
        Assert.Equal("", stream.Reported.Of(Cds).NackError);
        Assert.Equal("", stream.Reported.Of(Cds).AckedVersion);
    }

    [Fact]
    public async Task NamesAdded_AreSentAndWatched_NamesDropped_AreUnwatchedAndNoLongerPushed()
    {
        await using var stream = StreamHarness.Sotw();
        stream.Cache.Set(Cds, "a");
        stream.Cache.Set(Cds, "b");
        stream.Send(Request(Cds, names: "a"));
        var first = await stream.Next();

        stream.Send(Request(Cds, first, names: ["a", "b"]));
        var both = await stream.Next();
        Assert.Equal(["a", "b"], Names(both));

        stream.Send(Request(Cds, both, names: "b"));
        await AssertNothingSent(stream);
        Assert.False(stream.Cache.IsWatched(Cds, "a"));
        Assert.True(stream.Cache.IsWatched(Cds, "b"));

        stream.Cache.Set(Cds, "b", "v2");
        stream.Cache.Announce((Cds, "b"));
        Assert.Equal(["b"], Names(await stream.Next()));
    }

    [Fact]
    public async Task EmptyFirstRequest_IsAWildcard_AnsweredAtOnce()
    {
        await using var stream = StreamHarness.Sotw();

        stream.Send(Request(Cds));

        var response = await stream.Next();
        Assert.Equal(Cds, response.TypeUrl);
        Assert.Empty(response.Resources);
    }

    [Fact]
    public async Task EmptyLaterRequest_UnsubscribesEverything()
    {
        await using var stream = StreamHarness.Sotw();
        stream.Cache.Set(Cds, "a");
        stream.Send(Request(Cds, names: "a"));
        var first = await stream.Next();

        stream.Send(Request(Cds, first));
        await AssertNothingSent(stream);

        Assert.False(stream.Cache.IsWatched(Cds, "a"));
    }

    [Fact]
    public async Task AChangeThatLeavesTheContentAsItWas_IsNotPushed()
    {
        await using var stream = StreamHarness.Sotw();
        stream.Cache.Set(Cds, "a");
        stream.Send(Request(Cds, names: "a"));
        await Ack(stream, await stream.Next(), "a");

        stream.Cache.Set(Cds, "a");
        stream.Cache.Announce((Cds, "a"));

        await AssertNothingSent(stream);
    }

    [Theory]
    [InlineData(Cds, Eds)]
    [InlineData(Eds, Cds)]
    public async Task AChangeOfSeveralTypes_IsPushedTypeByType_InTheOrderTheCacheGives(string first, string second)
    {
        await using var stream = StreamHarness.Sotw();
        foreach (var type in new[] { Cds, Eds })
        {
            stream.Cache.Set(type, "a");
            stream.Send(Request(type, names: "a"));
            await Ack(stream, await stream.Next(), "a");
        }

        stream.Cache.Set(first, "a", "v2");
        stream.Cache.Set(second, "a", "v2");
        stream.Cache.Announce((first, "a"), (second, "a"));

        Assert.Equal(first, (await stream.Next()).TypeUrl);
        Assert.Equal(second, (await stream.Next()).TypeUrl);
    }
}
