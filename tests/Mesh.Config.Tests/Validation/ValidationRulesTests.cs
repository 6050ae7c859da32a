using System.Text.Json.Nodes;
using Mesh.Config.Validation;
using Mesh.Config.Validation.Rules;

namespace Mesh.Config.Tests.Validation;

public class ValidationRulesTests
{
    [Theory]
    [InlineData("^/api/v[0-9]+/.*$")]
    [InlineData("(?P<id>[a-z]+)")]
    [InlineData("[*+]")]
    [InlineData("(?i)abc")]
    public void Re2_SupportedRegex_IsAccepted(string pattern) => Assert.Null(Re2.Check(pattern));

    [Theory]
    [InlineData("(a)\\1", "backreference")]
    [InlineData("a(?!b)", "negative lookahead")]
    [InlineData("(?<!a)b", "negative lookbehind")]
    [InlineData("a{2}+", "possessive")]
    [InlineData("(?(a)b|c)", "conditional")]
    public void Re2_BacktrackingConstruct_IsRefusedByName(string pattern, string construct)
        => Assert.Contains(construct, Re2.Check(pattern));

    [Theory]
    [InlineData("reviews", true)]
    [InlineData("*.example.com", true)]
    [InlineData("a.b-c.example", true)]
    [InlineData("a..b", false)]
    [InlineData("-a.com", false)]
    [InlineData("foo.*.com", false)]
    [InlineData("under_score.com", false)]
    public void Hosts_Wildcard(string host, bool valid) => Assert.Equal(valid, Hosts.Wildcard(host) is null);

    [Fact]
    public void Hosts_LabelLongerThan63_IsRefused() => Assert.NotNull(Hosts.Wildcard(new string('a', 64) + ".com"));

    [Fact]
    public void Hosts_NameLongerThan253_IsRefused()
        => Assert.NotNull(Hosts.Wildcard(string.Join(".", Enumerable.Repeat(new string('a', 60), 5))));

    [Fact]
    public void InvalidDocument_ReportsEveryError()
    {
        var root = JsonNode.Parse("""
            {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
             "metadata": {"name": "Bad_Name", "colour": "red"},
             "spec": {"hosts": ["reviews"], "htp": [],
                      "http": [{"route": [{"destination": {"host": "reviews", "port": {"number": 0}}, "weight": 30},
                                          {"destination": {"host": "reviews"}, "weight": 30}],
                                "timeout": "-1s", "retries": {"attempts": "3"}}]}}
            """)!.AsObject();
        var result = ResourceValidator.Validate(root);
        var errors = result.Errors.Select(e => e.ToString()).ToList();
        Assert.False(result.IsValid);
        Assert.Null(result.Resource);
        Assert.Contains(errors, e => e.StartsWith("metadata.name: ", StringComparison.Ordinal));
        Assert.Contains("metadata.colour: unknown field \"colour\"", errors);
        Assert.Contains("spec.htp: unknown field \"htp\", did you mean \"http\"?", errors);
        Assert.Contains("spec.http[0].route[0].destination.port.number: 0 is out of range 1..65535", errors);
        Assert.Contains("spec.http[0].route: weights sum to 60, must be 100", errors);
        Assert.Contains("spec.http[0].timeout: duration \"-1s\" must not be negative", errors);
        Assert.Contains("spec.http[0].retries.attempts: expected an integer, got a string", errors);
        Assert.Equal("document 1", result.DisplayName);
    }

    [Fact]
    public void ValidDocument_KeepsTheSpecAndMetadata()
    {
        var root = JsonNode.Parse("""
            {"apiVersion": "security.istio.io/v1beta1", "kind": "PeerAuthentication",
             "metadata": {"name": "default", "labels": {"team": "a"}, "resourceVersion": 42, "managedFields": []},
             "spec": {"mtls": {"mode": "STRICT"}}, "status": {"anything": 1}}
            """)!.AsObject();
        var result = ResourceValidator.Validate(root, "prod", 3);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var resource = result.Resource!;
        Assert.Equal("PeerAuthentication prod/default", result.DisplayName);
        Assert.Equal("42", resource.Metadata.ResourceVersion);
        Assert.Equal("a", resource.Metadata.Labels["team"]);
        Assert.Equal("security.istio.io/v1beta1", resource.ApiVersion);
        Assert.True(JsonNode.DeepEquals(root["spec"], resource.Spec));
        Assert.NotSame(root["spec"], resource.Spec);
    }
}
