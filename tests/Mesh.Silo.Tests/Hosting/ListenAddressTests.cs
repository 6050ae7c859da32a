using System.Net;
using Mesh.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace Mesh.Silo.Tests.Hosting;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    [InlineData("::", "::")]
    [InlineData(" 10.1.2.3 ", "10.1.2.3")]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1")]
    [InlineData("::FFFF:10.0.0.7", "10.0.0.7")]
    [InlineData("[::ffff:0.0.0.0]", "0.0.0.0")]
    [InlineData("fd00::1", "fd00::1")]
    [InlineData("localhost", "localhost")]
    [InlineData("*", "*")]
    public void Normalize_EveryAddressForm_TheOneASocketBinds(string value, string normalized)
    {
        Assert.Equal(normalized, ListenAddress.Normalize("--api-address", value));
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("127.0.0.1:15020")]
    [InlineData("300.1.1.1")]
    [InlineData("[::1")]
    public void Normalize_NotAnAddress_ErrorNamesTheOption(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ListenAddress.Normalize("--xds-secure-address", value));

        Assert.StartsWith($"--xds-secure-address \"{value}\" is not an IP address; use", error.Message);
    }

    [Fact]
    public void Normalize_Configuration_EveryAddressOption()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Api:Address"] = "::ffff:127.0.0.1",
            ["Mesh:MonitoringAddress"] = "[::1]",
            ["Mesh:Xds:SecureAddress"] = "::ffff:10.0.0.1",
        }).Build();

        ListenAddress.Normalize(configuration);

        Assert.Equal(("127.0.0.1", "::1", null, "10.0.0.1"),
            (configuration["Mesh:Api:Address"], configuration["Mesh:MonitoringAddress"], configuration["Mesh:Xds:Address"], configuration["Mesh:Xds:SecureAddress"]));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("localhost", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("10.0.0.1", false)]
    public void IsLoopback(string address, bool loopback)
    {
        Assert.Equal(loopback, ListenAddress.IsLoopback(address));
    }

    [Fact]
    public void Bind_NormalizedMappedAddress_IsIPv4()
    {
        Assert.Equal(IPAddress.Loopback, ListenAddress.Bind(ListenAddress.Normalize("--api-address", "::ffff:127.0.0.1")));
    }
}
