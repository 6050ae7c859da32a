using Mesh.Sidecar.Proxy.Paths;
using EscapedSlashes = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager.Types.PathWithEscapedSlashesAction;

namespace Mesh.Sidecar.Tests.Proxy.Paths;

/// <summary>The expectations of Istio's path normalization integration test (tests/integration/security/normalization),
/// one row per path and level: what Envoy forwards for each <c>meshConfig.pathNormalization</c> level, with the
/// HttpConnectionManager fields Istio sets for it.</summary>
public sealed class PathNormalizerTests
{
    private static readonly PathNormalization None = PathNormalization.None;
    private static readonly PathNormalization Base = PathNormalization.Base;
    private static readonly PathNormalization MergeSlashes = new(true, true, EscapedSlashes.KeepUnchanged);
    private static readonly PathNormalization DecodeAndMergeSlashes = new(true, true, EscapedSlashes.UnescapeAndForward);

    public static TheoryData<string, string, string, string, string> Levels => new()
    {
        // path, NONE, BASE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES
        { "/", "/", "/", "/", "/" },
        { "/app/", "/app/", "/app/", "/app/", "/app/" },
        { "/app/../admin", "/app/../admin", "/admin", "/admin", "/admin" },
        { "/app", "/app", "/app", "/app", "/app" },
        { "/app//", "/app//", "/app//", "/app/", "/app/" },
        { "/app/%2f", "/app/%2f", "/app/%2f", "/app/%2f", "/app/" },
        { "/app%2f/", "/app%2f/", "/app%2f/", "/app%2f/", "/app/" },
        { "/xyz%30..//abc", "/xyz%30..//abc", "/xyz0..//abc", "/xyz0../abc", "/xyz0../abc" },
        { "/app/%2E./admin", "/app/%2E./admin", "/admin", "/admin", "/admin" },
        { @"/app\admin", @"/app\admin", "/app/admin", "/app/admin", "/app/admin" },
        { @"/app/\/\/\admin", @"/app/\/\/\admin", "/app//////admin", "/app/admin", "/app/admin" },
        { "/%2Fapp%5cadmin%5Cabc", "/%2Fapp%5cadmin%5Cabc", "/%2Fapp%5cadmin%5Cabc", "/%2Fapp%5cadmin%5Cabc", "/app/admin/abc" },
        { @"/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\abc", @"/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\abc", "/%5Capp%2f%5c%2F..%2fadmin%5c/abc", "/%5Capp%2f%5c%2F..%2fadmin%5c/abc", "/app/admin/abc" },
        { "/app//../admin", "/app//../admin", "/app/admin", "/app/admin", "/app/admin" },
        { "/app//../../admin", "/app//../../admin", "/admin", "/admin", "/admin" },
        // The finding: a backslash path past a DENY on /admin*, and an unreserved character spelled as an escape.
        { @"/x\..\admin", @"/x\..\admin", "/admin", "/admin", "/admin" },
        { "/%61dmin", "/%61dmin", "/admin", "/admin", "/admin" },
        { "/%2Fadmin", "/%2Fadmin", "/%2Fadmin", "/%2Fadmin", "/admin" },
    };

    [Theory]
    [MemberData(nameof(Levels))]
    public void Each_level_forwards_what_Envoy_forwards_under_Istio(string path, string none, string @base, string mergeSlashes, string decodeAndMerge)
    {
        Assert.Equal(new NormalizedPath(none, PathVerdict.Forward), PathNormalizer.Normalize(path, None));
        Assert.Equal(new NormalizedPath(@base, PathVerdict.Forward), PathNormalizer.Normalize(path, Base));
        Assert.Equal(new NormalizedPath(mergeSlashes, PathVerdict.Forward), PathNormalizer.Normalize(path, MergeSlashes));
        Assert.Equal(new NormalizedPath(decodeAndMerge, PathVerdict.Forward), PathNormalizer.Normalize(path, DecodeAndMergeSlashes));
    }

    [Theory]
    // Istio's NotNormalized group: nothing here is a dot segment, a slash or an unreserved escape.
    [InlineData("/%c0%2e%c0%2e/admin", "/%c0.%c0./admin")]
    [InlineData("/%c0%2fadmin", "/%c0/admin")]
    [InlineData("/0x2e0x2e/admin", "/0x2e0x2e/admin")]
    [InlineData("/%25c0%25ae%25c0%25ae/admin", "/%25c0%25ae%25c0%25ae/admin")]
    [InlineData("/%252e%252e%252fadmin", "/%252e%252e%252fadmin")]
    [InlineData("/%c0%ae%c0%ae/admin", "/%c0%ae%c0%ae/admin")]
    [InlineData("/.../admin", "/.../admin")]
    [InlineData("/..;/admin", "/..;/admin")]
    [InlineData("/admin;a=b/xyz", "/admin;a=b/xyz")]
    [InlineData("/admin,a=b/xyz", "/admin,a=b/xyz")]
    [InlineData("/Admin", "/Admin")]
    // Istio's PercentEncoded group: unreserved characters (and, when decoding slashes, / and \) are decoded, others kept.
    [InlineData("/admin%41", "/adminA")]
    [InlineData("/admin%7e", "/admin~")]
    [InlineData("/admin%2d", "/admin-")]
    [InlineData("/admin%5f", "/admin_")]
    [InlineData("/admin%2e", "/admin.")]
    [InlineData("/admin%2f", "/admin/")]
    [InlineData("/admin%5c", "/admin/")]
    [InlineData("/admin%20", "/admin%20")]
    [InlineData("/admin%25", "/admin%25")]
    [InlineData("/admin%3f", "/admin%3f")]
    [InlineData("/admin%ff", "/admin%ff")]
    public void Decoding_and_merging_slashes_decodes_only_what_Istio_says(string path, string expected)
        => Assert.Equal(expected, PathNormalizer.Normalize(path, DecodeAndMergeSlashes).Path);

    [Theory]
    [InlineData("/admin%00")]
    [InlineData("/a/%00/b")]
    public void An_encoded_NUL_is_refused(string path)
        => Assert.Equal(PathVerdict.Reject, PathNormalizer.Normalize(path, Base).Verdict);

    [Theory]
    [InlineData("/a b", "/a%20b")]
    [InlineData("/a\"<>`{}", "/a%22%3C%3E%60%7B%7D")]
    [InlineData("/caf\u00e9", "/caf%C3%A9")]
    [InlineData("/a%zz", "/a%zz")]
    [InlineData("/a%2", "/a%2")]
    public void Characters_a_path_may_not_hold_are_escaped_and_broken_escapes_kept(string path, string expected)
        => Assert.Equal(expected, PathNormalizer.Normalize(path, Base).Path);

    [Theory]
    [InlineData("/a%2Fb", PathVerdict.Reject, "/a%2Fb")]
    [InlineData("/a/b", PathVerdict.Forward, "/a/b")]
    public void Rejecting_escaped_slashes_refuses_only_paths_that_have_them(string path, PathVerdict verdict, string forwarded)
        => Assert.Equal(new NormalizedPath(forwarded, verdict), PathNormalizer.Normalize(path, new PathNormalization(true, false, EscapedSlashes.RejectRequest)));

    [Fact]
    public void Redirecting_escaped_slashes_sends_the_client_to_the_normalized_unescaped_path()
        => Assert.Equal(new NormalizedPath("/a/c", PathVerdict.Redirect),
            PathNormalizer.Normalize("/a%2Fb%5c..//c", new PathNormalization(true, true, EscapedSlashes.UnescapeAndRedirect)));

    [Fact]
    public void A_listener_that_says_nothing_keeps_the_path_and_the_escaped_slashes()
    {
        var manager = new Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager();

        Assert.Equal(PathNormalization.None, PathNormalization.Of(manager));
    }
}
