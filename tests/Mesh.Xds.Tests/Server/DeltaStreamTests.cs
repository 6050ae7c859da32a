using Envoy.Service.Discovery.V3;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Tests.Server;

public sealed class DeltaStreamTests
{
    private const string Cds = TypeUrls.Cluster;
    private const string Eds = TypeUrls.Endpoint;

    private static DeltaDiscoveryRequest Request(string type, DeltaDiscoveryResponse? answering = null, string? error = null,
        string[]? subscribe = null, string[]? unsubscribe = null, Dictionary<string, string>? having = null)
    {
        var request = new DeltaDiscoveryRequest { TypeUrl = type, Node = StreamHarness<DeltaDiscoveryRequest, DeltaDiscoveryResponse>.Node, ResponseNonce = answering?.Nonce ?? "" };
        request.ResourceNamesSubscribe.Add(subscribe ?? []);
        request.ResourceNamesUnsubscribe.Add(unsubscribe ?? []);
        request.InitialResourceVersions.Add(having ?? []);
        if (error is not null) request.ErrorDetail = new Google.Rpc.Status { Code = 3, Message = error };
        return request;
    }

    private static string[] Names(DeltaDiscoveryResponse response) => [.. response.Resources.Select(r => r.Name)];

    /// <summary>A subscription the stream must answer at once: when its answer is the next response, nothing was sent
    /// before it.</summary>
    private static async Task AssertNothingSent(StreamHarness<DeltaDiscoveryRequest, DeltaDiscoveryResponse> stream)
    {
        stream.Send(Request(TypeUrls.Secret, subscribe: [$"barrier-{Guid.NewGuid():N}"]));
        Assert.Equal(TypeUrls.Secret, (await stream.Next()).TypeUrl);
    }

    /// <summary>Acknowledges a response, and waits until the stream has taken the ACK (which it does not answer).</summary>
    private static async Task Ack(StreamHarness<DeltaDiscoveryRequest, DeltaDiscoveryResponse> stream, DeltaDiscoveryResponse response)
    {
        stream.Send(Request(response.TypeUrl, response));
        await AssertNothingSent(stream);
    }

    private static async Task<DeltaDiscoveryResponse> Subscribed(StreamHarness<DeltaDiscoveryRequest, DeltaDiscoveryResponse> stream, string type, params string[] names)
    {
        stream.Send(Request(type, subscribe: names));
        return await stream.Next();
    }

    private static async Task<DeltaDiscoveryResponse> Changed(StreamHarness<DeltaDiscoveryRequest, DeltaDiscoveryResponse> stream, string type, string name, string content)
    {
        stream.Cache.Set(type, name, content);
        stream.Cache.Announce((type, name));
        return await stream.Next();
    }

    [Fact]
    public async Task Subscribe_SendsWhatExists_AndNamesWhatDoesNotAsRemoved()
    {
        await using var stream = StreamHarness.Delta();
        var a = stream.Cache.Set(Cds, "a");

        var response = await Subscribed(stream, Cds, "a", "missing");

        Assert.Equal(a.Version, Assert.Single(response.Resources, r => r.Name == "a").Version);
        Assert.Equal(["missing"], response.RemovedResources);
        Assert.True(stream.Cache.IsWatched(Cds, "missing"));
    }

    [Fact]
    public async Task Ack_AdvancesTheAckedVersion()
    {
        await using var stream = StreamHarness.Delta();
        stream.Cache.Set(Cds, "a");
        await Ack(stream, await Subscribed(stream, Cds, "a"));

        var second = await Changed(stream, Cds, "a", "v2");
        await Ack(stream, second);
        await stream.End();

        Assert.Equal(["a"], Names(second));
        Assert.Equal(second.SystemVersionInfo, stream.Reported.Of(Cds).AckedVersion);
        Assert.Equal(second.Nonce, stream.Reported.Of(Cds).AckedNonce);
    }

    [Fact]
    public async Task Nack_KeepsTheLastAckedVersion_AndRecordsTheError()
    {
        await using var stream = StreamHarness.Delta();
        stream.Cache.Set(Cds, "a");
        var good = await Subscribed(stream, Cds, "a");
        await Ack(stream, good);
        var bad = await Changed(stream, Cds, "a", "bad");

        stream.Send(Request(Cds, bad, error: "cluster a: bad"));
        await AssertNothingSent(stream);
        await stream.End();

        var status = stream.Reported.Of(Cds);
        Assert.Equal(good.SystemVersionInfo, status.AckedVersion);
        Assert.Equal("cluster a: bad", status.NackError);
        Assert.Equal(bad.Nonce, status.NackedNonce);
    }

    [Fact]
    public async Task AnAnswerToAnOlderResponse_RecordsNothing()
    {
        await using var stream = StreamHarness.Delta();
        stream.Cache.Set(Cds, "a");
        var older = await Subscribed(stream, Cds, "a");
        await Changed(stream, Cds, "a", "v2");

        stream.Send(Request(Cds, older, error: "late"));
        await AssertNothingSent(stream);
        await stream.End();

        Assert.Equal("", stream.Reported.Of(Cds).NackError);
        Assert.Equal("", stream.Reported.Of(Cds).AckedVersion);
    }

    [Fact]
    public async Task Unsubscribe_StopsWatchingAndPushing()
    {
        await using var stream = StreamHarness.Delta();
        stream.Cache.Set(Cds, "a");
        stream.Cache.Set(Cds, "b");
        var first = await Subscribed(stream, Cds, "a", "b");

        stream.Send(Request(Cds, first, unsubscribe: ["a"]));
        await AssertNothingSent(stream);
        Assert.False(stream.Cache.IsWatched(Cds, "a"));

        Assert.Equal(["b"], Names(await Changed(stream, Cds, "b", "v2")));
    }

    [Fact]
    public async Task AResourceThatGoesAway_IsSentAsRemoved()
    {
        await using var stream = StreamHarness.Delta();
        stream.Cache.Set(Cds, "a");
        await Ack(stream, await Subscribed(stream, Cds, "a"));

        stream.Cache.Remove(Cds, "a");
        stream.Cache.Announce((Cds, "a"));
        var response = await stream.Next();

        Assert.Empty(response.Resources);
        Assert.Equal(["a"], response.RemovedResources);
    }

    [Fact]
    public async Task AReconnectingClient_IsNotSentWhatItAlreadyHas()
    {
        await using var stream = StreamHarness.Delta();
        var a = stream.Cache.Set(Cds, "a");
        stream.Cache.Set(Cds, "b");

        stream.Send(Request(Cds, subscribe: ["a", "b"], having: new() { ["a"] = a.Version }));

        Assert.Equal(["b"], Names(await stream.Next()));
    }

    [Fact]
    public async Task ANewWildcardSubscription_IsAnsweredEvenWhenEmpty()
    {
        await using var stream = StreamHarness.Delta();

        stream.Send(Request(Cds));

        var response = await stream.Next();
        Assert.Equal(Cds, response.TypeUrl);
        Assert.Empty(response.Resources);
    }

    [Fact]
    public async Task AChangeThatLeavesTheContentAsItWas_IsNotPushed()
    {
        await using var stream = StreamHarness.Delta();
        stream.Cache.Set(Cds, "a");
        await Ack(stream, await Subscribed(stream, Cds, "a"));

        stream.Cache.Set(Cds, "a");
        stream.Cache.Announce((Cds, "a"));

        await AssertNothingSent(stream);
    }

    [Theory]
    [InlineData(Cds, Eds)]
    [InlineData(Eds, Cds)]
    public async Task AChangeOfSeveralTypes_IsPushedTypeByType_InTheOrderTheCacheGives(string first, string second)
    {
        await using var stream = StreamHarness.Delta();
        foreach (var type in new[] { Cds, Eds })
        {
            stream.Cache.Set(type, "a");
            await Ack(stream, await Subscribed(stream, type, "a"));
        }

        stream.Cache.Set(first, "a", "v2");
        stream.Cache.Set(second, "a", "v2");
        stream.Cache.Announce((first, "a"), (second, "a"));

        Assert.Equal(first, (await stream.Next()).TypeUrl);
        Assert.Equal(second, (await stream.Next()).TypeUrl);
    }
}
