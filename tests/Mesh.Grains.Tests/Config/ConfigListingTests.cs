using Mesh.Config.Selection;
using Mesh.Grains.Config;

namespace Mesh.Grains.Tests.Config;

public sealed class ConfigListingTests
{
    private readonly ConfigListing _listing = new();

    [Fact]
    public void Page_AfterAName_ContinuesFromTheKeyInOrdinalOrder()
    {
        foreach (var name in new[] { "c", "a", "e", "b", "d" }) _listing.Put(Config(name, 1));

        var first = Page(new ListQuery { Limit = 2 });
        var second = Page(new ListQuery { Limit = 2, After = first.Items[^1].Name });
        var gone = Page(new ListQuery { Limit = 2, After = "bb" }); // a name removed since the last page: next key

        Assert.Equal(["a", "b"], Names(first));
        Assert.Equal(3, first.Remaining);
        Assert.Equal(["c", "d"], Names(second));
        Assert.Equal(1, second.Remaining);
        Assert.Equal(["c", "d"], Names(gone));
    }

    [Fact]
    public void Page_WithSelectors_CountsOnlyMatchingRemainder()
    {
        for (var i = 0; i < 10; i++) _listing.Put(Config($"r{i}", 1, i % 2 == 0 ? "even" : "odd"));

        var page = _listing.Page(new ListQuery { Limit = 2 }, LabelSelector.Parse("parity=even"), FieldSelector.Parse("metadata.name!=r0"));
        var count = _listing.Page(new ListQuery { Limit = 0 }, LabelSelector.Parse("parity=odd"), FieldSelector.Everything);

        Assert.Equal(["r2", "r4"], Names(page));
        Assert.Equal(2, page.Remaining);
        Assert.Empty(count.Items);
        Assert.Equal(5, count.Remaining);
    }

    [Fact]
    public void Put_OlderVersion_IsIgnored()
    {
        _listing.Put(Config("a", 3, "new"));
        _listing.Put(Config("a", 2, "old"));

        Assert.Equal("new", Page(new ListQuery()).Items.Single().Labels["parity"]);
    }

    [Fact]
    public void Refill_KeepsWhatChangedLiveMeanwhile()
    {
        _listing.Put(Config("kept", 1, "before"));
        _listing.BeginRefill();
        _listing.Put(Config("live", 5, "live"));
        _listing.Remove("deleted");
        _listing.Refill(Config("live", 7, "refill"));   // read before the live write's Put arrived? the live value wins anyway
        _listing.Refill(Config("deleted", 1, "refill")); // read before its delete: stays deleted
        _listing.Refill(Config("other", 1, "refill"));
        _listing.EndRefill();
        _listing.Refill(Config("late", 1, "refill"));   // after the refill ended: ignored

        var page = Page(new ListQuery());

        Assert.Equal(["kept", "live", "other"], Names(page));
        Assert.Equal("live", page.Items[1].Labels["parity"]);
    }

    private ListPage Page(ListQuery query) => _listing.Page(query, LabelSelector.Everything, FieldSelector.Everything);

    private static string[] Names(ListPage page) => [.. page.Items.Select(i => i.Name)];

    private static StoredConfig Config(string name, long version, string parity = "") => new()
    {
        Kind = "VirtualService",
        Namespace = "ns",
        Name = name,
        ApiVersion = "networking.istio.io/v1",
        SpecJson = "{}",
        Uid = name,
        ResourceVersion = version,
        Labels = new() { ["parity"] = parity },
    };
}
