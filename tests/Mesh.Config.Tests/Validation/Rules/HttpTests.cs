using Mesh.Config.Validation.Rules;

namespace Mesh.Config.Tests.Validation.Rules;

/// <summary>The one set of HTTP rules every schema uses for what config writes into requests and responses.</summary>
public class HttpTests
{
    [Theory]
    [InlineData("x-a")]
    [InlineData("X-Custom_1")]
    [InlineData("a!#$%&'*+-.^_`|~")]
    public void HeaderName_Token_IsAccepted(string name) => Assert.Null(Http.HeaderName(name));

    [Theory]
    // RFC 9110 field-name = token (Istio's ValidateHTTPHeaderName: the tchar set).
    [InlineData("")]
    [InlineData("x a")]
    [InlineData("x:a")]
    [InlineData("x\r\nX-Injected")]
    [InlineData("x\0")]
    [InlineData("é")]
    [InlineData("a/b")]
    [InlineData("(a)")]
    public void HeaderName_NotAToken_IsRefused(string name) => Assert.NotNull(Http.HeaderName(name));

    [Theory]
    [InlineData("")]
    [InlineData("v")]
    [InlineData("v\tw")]
    [InlineData("100%%")]
    [InlineData("%HOSTNAME%")]
    [InlineData("prefix %REQ(x-a)% suffix")]
    [InlineData("%START_TIME(%Y-%m-%d)%")]
    public void HeaderValue_Printable_IsAccepted(string value) => Assert.Null(Http.HeaderValue(value));

    [Theory]
    // Istio's ValidateHTTPHeaderValue: ^[^\u0000-\u0008\u000A-\u001F\u007F]*$ (every control but HTAB).
    [InlineData("v\r\nX-Injected: 1", "U+000D")]
    [InlineData("a\nb", "U+000A")]
    [InlineData("a\0", "U+0000")]
    [InlineData("a\u001b[31m", "U+001B")]
    [InlineData("a\u007f", "U+007F")]
    // Istio's validateHeaderValue (Envoy's header formatter): a lone % starts a variable that never ends.
    [InlineData("100%", "write %% for a literal %")]
    [InlineData("%UNCLOSED", "unterminated %VARIABLE%")]
    [InlineData("%REQ(x-a%", "unterminated %VARIABLE%")]
    // Mesh's own bounds, the sidecar's: ASCII only (Kestrel and HttpClient send no other; NEL, LS and PS are not
    // ASCII either) and Envoy's 16 KiB max_bytes, so a value the sidecar would NACK is never stored.
    [InlineData("unicode é ✓", "non-ASCII character U+00E9")]
    [InlineData("a\u0085b", "non-ASCII character U+0085")]
    [InlineData("a\u2028b", "non-ASCII character U+2028")]
    public void HeaderValue_ControlOrBrokenVariable_IsRefused(string value, string reason)
        => Assert.Contains(reason, Http.HeaderValue(value));

    [Fact]
    public void HeaderValue_LongerThanEnvoysLimit_IsRefused()
    {
        Assert.Null(Http.HeaderValue(new string('v', Http.MaxHeaderLength)));
        Assert.Contains("at most 16384", Http.HeaderValue(new string('v', Http.MaxHeaderLength + 1)));
    }

    [Theory]
    [InlineData("reviews", null)]
    [InlineData("reviews.bookinfo.svc.cluster.local:9080", null)]
    [InlineData("[::1]:8080", null)]
    [InlineData("a b", "is not a host[:port]")]
    [InlineData("a/b", "is not a host[:port]")]
    [InlineData("a\r\nb", "U+000D")]
    public void Authority_IsWhatAHostHeaderCanCarry(string authority, string? reason)
    {
        if (reason is null) Assert.Null(Http.Authority(authority));
        else Assert.Contains(reason, Http.Authority(authority));
    }

    [Fact]
    public void HeaderValue_Refusal_NeverEchoesTheControlCharacter()
        => Assert.DoesNotContain("\r", Http.HeaderValue("v\r\nX-Injected: 1")!, StringComparison.Ordinal);

    [Theory]
    [InlineData("x-a", null)]
    [InlineData("x_a", "letters, digits and '-'")]
    [InlineData("x.a", "letters, digits and '-'")]
    public void StrictHeaderName_IsIstios(string name, string? reason)
        => Assert.Equal(reason is null, Http.StrictHeaderName(name) is null);

    [Theory]
    [InlineData("host")]
    [InlineData("Host")]
    [InlineData(":authority")]
    public void OperationHeaderName_HostAndPseudoHeaders_AreRefused(string name) => Assert.NotNull(Http.OperationHeaderName(name));

    [Theory]
    [InlineData("session", true)]
    [InlineData("a b", false)]
    [InlineData("a;b", false)]
    [InlineData("a=b", false)]
    [InlineData("", false)]
    public void CookieName_IsAToken(string name, bool valid) => Assert.Equal(valid, Http.CookieName(name) is null);

    [Theory]
    [InlineData("/", true)]
    [InlineData("/a;HttpOnly", false)]
    [InlineData("/\r\nSet-Cookie: x=1", false)]
    public void CookieAttribute_HasNoSemicolonOrControl(string value, bool valid) => Assert.Equal(valid, Http.CookieAttribute(value) is null);

    [Theory]
    [InlineData("GET", true)]
    [InlineData("*", true)]
    [InlineData("get", false)]
    [InlineData("GET\r\nX-A: 1", false)]
    public void CorsMethod_IsOneIstioKnows(string method, bool valid) => Assert.Equal(valid, Http.CorsMethod(method) is null);
}
