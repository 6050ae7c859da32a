using Mesh.Grains.Services;

namespace Mesh.Grains.Tests.Services;

public sealed class ServiceAddressesTests
{
    [Theory]
    [InlineData("10.96.0.5", "10.96.0.5")]
    [InlineData("10.96.0.5/32", "10.96.0.5")]
    [InlineData("2001:db8::5", "2001:db8::5")]
    [InlineData("2001:DB8:0::5/128", "2001:db8::5")]
    [InlineData("10.96.0.0/16", null)]
    [InlineData("2001:db8::/64", null)]
    [InlineData("reviews", null)]
    [InlineData("", null)]
    public void Single_IsAnAddressOnlyWhenItNamesOneIp(string text, string? expected)
    {
        Assert.Equal(expected, ServiceAddresses.Single(text));
    }

    [Fact]
    public void AliasOf_AVipGrainStandsForTheFirstHostOfTheFirstEntryThatListsIt()
    {
        ServiceEntryView[] entries =
        [
            Entry("ServiceEntry/shop/z", ["z.shop.svc.cluster.local"], ["10.96.0.5"]),
            Entry("ServiceEntry/shop/a", ["reviews.shop.svc.cluster.local", "other.example.com"], ["10.96.0.7", "10.96.0.5"]),
        ];

        Assert.Equal("reviews.shop.svc.cluster.local", ServiceAddresses.AliasOf("10.96.0.5", entries));
        Assert.Equal("reviews.shop.svc.cluster.local", ServiceAddresses.AliasOf("10.96.0.7", entries));
        Assert.Null(ServiceAddresses.AliasOf("10.96.0.9", entries));
        // A grain keyed by a host is no alias, whatever its entries' addresses.
        Assert.Null(ServiceAddresses.AliasOf("reviews.shop.svc.cluster.local", entries));
        Assert.Equal(["10.96.0.5", "10.96.0.7"], ServiceAddresses.Of(entries));
    }

    private static ServiceEntryView Entry(string key, List<string> hosts, List<string> addresses)
        => new() { Key = key, Namespace = "shop", Hosts = hosts, Addresses = addresses };
}
