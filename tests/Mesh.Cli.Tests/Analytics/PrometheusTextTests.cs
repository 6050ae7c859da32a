using Mesh.Cli.Analytics;

namespace Mesh.Cli.Tests.Analytics;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Samples_with_labels_values_and_timestamps_are_read_and_comments_skipped()
    {
        var samples = PrometheusText.Parse("""
            # HELP istio_requests_total Requests
            # TYPE istio_requests_total counter
            istio_requests_total{route_name="shop.api.0",response_code="200"} 12 1733472000000

            istio_request_duration_milliseconds_bucket{route_name="shop.api.0",le="+Inf"} 12
            process_up 1
            """);

        Assert.Equal(3, samples.Count);
        Assert.Equal("istio_requests_total", samples[0].Name);
        Assert.Equal("shop.api.0", samples[0].Label("route_name"));
        Assert.Equal("200", samples[0].Label("response_code"));
        Assert.Equal(12, samples[0].Value);
        Assert.Equal("+Inf", samples[1].Label("le"));
        Assert.Empty(samples[2].Labels);
        Assert.Equal("", samples[2].Label("route_name"));
    }

    [Fact]
    public void Escaped_label_values_are_unescaped()
    {
        var sample = Assert.Single(PrometheusText.Parse("m{a=\"x\\\"y\",b=\"back\\\\slash\",c=\"two\\nlines\",d=\"{,}=\"} 1"));

        Assert.Equal("x\"y", sample.Label("a"));
        Assert.Equal("back\\slash", sample.Label("b"));
        Assert.Equal("two\nlines", sample.Label("c"));
        Assert.Equal("{,}=", sample.Label("d"));
    }

    [Theory]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("1.5e3", 1500)]
    [InlineData("-0.25", -0.25)]
    public void Special_and_exponent_values_are_numbers(string text, double expected)
        => Assert.Equal(expected, Assert.Single(PrometheusText.Parse($"m {text}")).Value);

    [Fact]
    public void A_filter_keeps_only_the_series_it_names()
    {
        var samples = PrometheusText.Parse("a 1\nb{x=\"1\"} 2\nc 3", name => name == "b");

        Assert.Equal("b", Assert.Single(samples).Name);
    }

    [Theory]
    [InlineData("m{a=\"1\" 1", "line 1")]
    [InlineData("ok 1\nm{a=1} 1", "line 2")]
    [InlineData("m", "line 1")]
    [InlineData("m{a=\"1\"} one", "not a number")]
    public void A_line_that_is_not_a_sample_is_an_error_naming_its_line(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PrometheusText.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
