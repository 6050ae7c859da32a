using System.Text;
using Mesh.Silo.Api;

namespace Mesh.Silo.Tests.Api;

public sealed class ContinueTokenTests
{
    [Theory]
    [InlineData("VirtualService", "bookinfo", "bookinfo", "reviews")]
    [InlineData("DestinationRule", "", "a-namespace", "r-1")]
    public void Encode_ThenDecode_GivesTheSameKey(string kind, string scope, string ns, string name)
    {
        var token = new ContinueToken(kind, scope, ns, name);

        var text = token.Encode();

        Assert.Equal(token, ContinueToken.Decode(text));
        Assert.DoesNotContain(name, text); // opaque: not the key in clear
        Assert.Matches("^[A-Za-z0-9_-]+$", text); // safe in a URL query without escaping
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("bTIvVmlydHVhbFNlcnZpY2UvL2EvYg")] // version m2
    [InlineData("bTEvVmlydHVhbFNlcnZpY2UvL2E")] // too few parts
    [InlineData("bTEvVmlydHVhbFNlcnZpY2UvLy9i")] // empty namespace
    [InlineData("bTEvVmlydHVhbFNlcnZpY2UvL2EvYi9j")] // too many parts
    [InlineData("_w")] // invalid UTF-8
    public void Decode_NotOneThisServerWrote_IsNull(string text)
    {
        Assert.Null(ContinueToken.Decode(text));
    }

    [Fact]
    public void Decode_Oversized_IsNull()
    {
        Assert.Null(ContinueToken.Decode(Convert.ToBase64String(Encoding.UTF8.GetBytes("m1/VirtualService//a/" + new string('b', 2000)))));
    }
}
