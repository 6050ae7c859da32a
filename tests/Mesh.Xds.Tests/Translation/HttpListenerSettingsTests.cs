using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Mesh.Xds.Translation;
using Mesh.Xds.Translation.Security;
using EscapedSlashes = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager.Types.PathWithEscapedSlashesAction;

namespace Mesh.Xds.Tests.Translation;

public sealed class HttpListenerSettingsTests
{
    // Istio's mapping of meshConfig.pathNormalization.normalization onto the HttpConnectionManager (its listener
    // builder): NONE → normalize_path false; BASE and DEFAULT → true; MERGE_SLASHES adds merge_slashes;
    // DECODE_AND_MERGE_SLASHES also unescapes %2F and %5C (UNESCAPE_AND_FORWARD). Escaped slashes are kept otherwise.
    [Theory]
    [InlineData("NONE", false, false, EscapedSlashes.KeepUnchanged)]
    [InlineData("BASE", true, false, EscapedSlashes.KeepUnchanged)]
    [InlineData("base", true, false, EscapedSlashes.KeepUnchanged)]
    [InlineData("DEFAULT", true, false, EscapedSlashes.KeepUnchanged)]
    [InlineData("MERGE_SLASHES", true, true, EscapedSlashes.KeepUnchanged)]
    [InlineData("DECODE_AND_MERGE_SLASHES", true, true, EscapedSlashes.UnescapeAndForward)]
    public void Each_level_sets_the_fields_Istio_sets(string level, bool normalize, bool merge, EscapedSlashes escaped)
    {
        var settings = HttpListenerSettings.Of(new XdsOptions { PathNormalization = level });

        var manager = ListenerTranslator.Translate(Bookinfo.Host, Bookinfo.Port, settings).ApiListener.ApiListener_.Unpack<HttpConnectionManager>();

        Assert.Equal(normalize, manager.NormalizePath);
        Assert.Equal(merge, manager.MergeSlashes);
        Assert.Equal(escaped, manager.PathWithEscapedSlashesAction);
    }

    [Fact]
    public void The_default_is_BASE_and_no_trusted_proxy()
    {
        Assert.Equal(HttpListenerSettings.Default, HttpListenerSettings.Of(new XdsOptions()));
        Assert.Null(HttpListenerSettings.Problem(new XdsOptions()));
    }

    [Theory]
    [InlineData("ALL", 0, "--path-normalization 'ALL' is not one of NONE, BASE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES, DEFAULT")]
    [InlineData("", 0, "--path-normalization '' is not one of")]
    [InlineData("BASE", -1, "--num-trusted-proxies -1 must be between 0 and 64")]
    public void Unknown_settings_are_refused_at_start_with_what_is_allowed(string level, int proxies, string problem)
        => Assert.StartsWith(problem, HttpListenerSettings.Problem(new XdsOptions { PathNormalization = level, NumTrustedProxies = proxies }));

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Every_inbound_chain_uses_the_peer_address_and_trusts_the_configured_proxies(int proxies)
    {
        var listener = InboundListenerTranslator.Translate("virtualInbound|shop|web", [], "shop", new Dictionary<string, string>(), "istio-system", "cluster.local",
            new HttpListenerSettings("MERGE_SLASHES", proxies));

        Assert.NotEmpty(listener.FilterChains);
        Assert.All(listener.FilterChains, chain =>
        {
            var manager = chain.Filters.Single().TypedConfig.Unpack<HttpConnectionManager>();
            Assert.True(manager.UseRemoteAddress);
            Assert.Equal((uint)proxies, manager.XffNumTrustedHops);
            Assert.True(manager.NormalizePath);
            Assert.True(manager.MergeSlashes);
        });
    }
}
