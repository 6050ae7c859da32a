namespace Mesh.Config.Tests.Validation.Schemas;

/// <summary>Duration fields follow Istio's ValidateDuration (at least 1ms, whole milliseconds), its CORS rule (whole
/// seconds), and Go's range (int64 nanoseconds). No cap below that: the data plane honours any valid duration.</summary>
public class DurationFieldsTests
{
    private static string Route(string fields) => """{"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}}], """ + fields + "}]}";

    private static string Pool(string tcp) => """{"host": "reviews", "trafficPolicy": {"connectionPool": {"tcp": """ + tcp + "}}}";

    [Theory]
    [InlineData("VirtualService", """ "timeout": "9223372036854775808ns" """, "spec.http[0].timeout", "is too long")]
    [InlineData("VirtualService", """ "timeout": "315576000001s" """, "spec.http[0].timeout", "is too long")]
    [InlineData("VirtualService", """ "timeout": "1.5ms" """, "spec.http[0].timeout", "whole number of milliseconds")]
    [InlineData("VirtualService", """ "retries": {"attempts": 2, "perTryTimeout": "2500us"} """, "spec.http[0].retries.perTryTimeout", "whole number of milliseconds")]
    [InlineData("VirtualService", """ "fault": {"delay": {"fixedDelay": "1500us"}} """, "spec.http[0].fault.delay.fixedDelay", "whole number of milliseconds")]
    [InlineData("VirtualService", """ "fault": {"delay": {"fixedDelay": "2562048h"}} """, "spec.http[0].fault.delay.fixedDelay", "is too long")]
    [InlineData("VirtualService", """ "corsPolicy": {"maxAge": "1.5s"} """, "spec.http[0].corsPolicy.maxAge", "whole number of seconds")]
    public void VirtualService_IsRefused(string kind, string fields, string path, string reason)
        => Specs.AssertRefused(kind, Route(fields), path, reason);

    [Theory]
    [InlineData("""{"idleTimeout": "0.5ms"}""", "spec.trafficPolicy.connectionPool.tcp.idleTimeout", "must be at least 1ms")]
    [InlineData("""{"connectTimeout": "1.25ms"}""", "spec.trafficPolicy.connectionPool.tcp.connectTimeout", "whole number of milliseconds")]
    [InlineData("""{"maxConnectionDuration": "9999999999999999999999s"}""", "spec.trafficPolicy.connectionPool.tcp.maxConnectionDuration", "is too long")]
    public void DestinationRule_ConnectionPool_IsRefused(string tcp, string path, string reason) => Specs.AssertRefused("DestinationRule", Pool(tcp), path, reason);

    [Theory]
    [InlineData("""{"host": "r", "trafficPolicy": {"loadBalancer": {"consistentHash": {"httpCookie": {"name": "a", "ttl": "9223372036854775808ns"}}}}}""",
        "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl", "is too long")]
    // Istio's CRD schema: warmupDurationSecs is a duration of at least 1ms like the others.
    [InlineData("""{"host": "r", "trafficPolicy": {"loadBalancer": {"simple": "ROUND_ROBIN", "warmupDurationSecs": "0s"}}}""",
        "spec.trafficPolicy.loadBalancer.warmupDurationSecs", "must be at least 1ms")]
    [InlineData("""{"host": "r", "trafficPolicy": {"outlierDetection": {"interval": "1.5ms"}}}""", "spec.trafficPolicy.outlierDetection.interval", "whole number of milliseconds")]
    public void DestinationRule_IsRefused(string spec, string path, string reason) => Specs.AssertRefused("DestinationRule", spec, path, reason);

    [Fact]
    public void RequestAuthentication_Timeout_IsWholeMilliseconds()
        => Specs.AssertRefused("RequestAuthentication", """{"jwtRules": [{"issuer": "i", "timeout": "2.5ms"}]}""", "spec.jwtRules[0].timeout", "whole number of milliseconds");

    [Theory]
    // What Polly or Task.Delay could not take is still valid config: the data plane must honour it (issue 10, finding 8).
    [InlineData(""" "timeout": "25h" """)]
    [InlineData(""" "timeout": "5ms" """)]
    [InlineData(""" "timeout": "2562047h" """)]
    [InlineData(""" "fault": {"delay": {"fixedDelay": "2000h"}} """)]
    [InlineData(""" "corsPolicy": {"maxAge": "24h"} """)]
    public void VirtualService_LongAndShortDurations_AreAccepted(string fields) => Specs.AssertValid("VirtualService", Route(fields));

    [Theory]
    [InlineData("""{"idleTimeout": "0s"}""")]
    [InlineData("""{"idleTimeout": "0"}""")]
    [InlineData("""{"connectTimeout": "1ms", "idleTimeout": "1h"}""")]
    public void DestinationRule_ZeroTurnsIdleTimeoutOff(string tcp) => Specs.AssertValid("DestinationRule", Pool(tcp));
}
