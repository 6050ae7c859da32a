using Google.Protobuf;
using Mesh.Xds.Translation;

namespace Mesh.Xds.Tests.Translation;

/// <summary>Versions are hashes of the serialized resources: the same model must give the same bytes.</summary>
public sealed class DeterminismTests
{
    private const string Rule = """
        {"host": "reviews", "trafficPolicy": {"connectionPool": {"http": {"maxRetries": 3}}},
         "subsets": [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]}
        """;

    private const string Http = """
        [{"match": [{"headers": {"x-b": {"exact": "1"}, "x-a": {"prefix": "2"}}, "queryParams": {"z": {}, "y": {"exact": "3"}}}],
          "headers": {"request": {"set": {"b": "1", "a": "2"}}},
          "fault": {"delay": {"fixedDelay": "1s", "percent": 50}},
          "route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 60}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 40}]}]
        """;

    public static TheoryData<string, Func<IMessage?>> Resources() => new()
    {
        { "listener", () => ListenerTranslator.Translate(Bookinfo.Host, Bookinfo.Port, HttpListenerSettings.Default) },
        { "routes", () => RouteTranslator.Translate(Bookinfo.Model(Rule, Bookinfo.VirtualService(Http)), Bookinfo.Port) },
        { "cluster", () => ClusterTranslator.Translate(Bookinfo.Model(Rule), Bookinfo.Port, "v1") },
        { "endpoints", () => LoadAssignmentTranslator.Translate(Bookinfo.Model(Rule), Bookinfo.Port, "") },
    };

    [Theory]
    [MemberData(nameof(Resources))]
    public void Two_translations_serialize_to_the_same_bytes(string resource, Func<IMessage?> translate)
    {
        var first = translate()!.ToByteArray();
        var second = translate()!.ToByteArray();

        Assert.True(first.Length > 0, resource);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Map_entries_come_out_sorted_whatever_the_document_order()
    {
        var route = RouteTranslator.Translate(Bookinfo.Model(Rule, Bookinfo.VirtualService(Http)), Bookinfo.Port)
            .VirtualHosts.Single().Routes.Single();

        Assert.Equal(["x-a", "x-b"], route.Match.Headers.Select(h => h.Name));
        Assert.Equal(["y", "z"], route.Match.QueryParameters.Select(q => q.Name));
        Assert.Equal(["a", "b"], route.RequestHeadersToAdd.Select(h => h.Header.Key));
    }
}
