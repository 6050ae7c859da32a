using Mesh.Silo.Access;

namespace Mesh.Silo.Tests.Access;

public sealed class WriteAccessTests
{
    private static readonly ApiUser Admin = new("alice", ApiRole.Admin, []);
    private static readonly ApiUser Editor = new("bob", ApiRole.Editor, ["bookinfo"]);
    private static readonly ApiUser EditorOfTwo = new("dan", ApiRole.Editor, ["bookinfo", "shop"]);
    private static readonly ApiUser EditorOfAll = new("ci", ApiRole.Editor, [ApiUser.AllNamespaces]);
    private static readonly ApiUser Viewer = new("carol", ApiRole.Viewer, []);

    [Fact]
    public void Editor_OwnNamespace_Allowed()
    {
        Assert.Null(WriteAccess.Check(Editor, "apply", ["bookinfo", "bookinfo"]));
    }

    [Fact]
    public void Editor_OtherNamespace_DeniedSayingWhatToAskFor()
    {
        var denial = WriteAccess.Check(Editor, "apply", ["prod"]);

        Assert.NotNull(denial);
        Assert.Equal("user bob (editor of bookinfo) may not apply to namespace prod: ask an admin for editor access to prod", denial.Message);
        Assert.Equal(["prod"], denial.Namespaces);
    }

    [Fact]
    public void Editor_ManifestMixingOwnAndOther_DeniedForTheOtherOnly()
    {
        var denial = WriteAccess.Check(Editor, "apply", ["bookinfo", "prod", "bookinfo", "staging"]);

        Assert.NotNull(denial);
        Assert.Equal(["prod", "staging"], denial.Namespaces);
        Assert.True(denial.Refuses("prod"));
        Assert.False(denial.Refuses("bookinfo"));
        Assert.Equal("user bob (editor of bookinfo) may not apply to namespaces prod, staging: ask an admin for editor access to prod and staging", denial.Message);
    }

    [Fact]
    public void EditorOfSeveral_EveryOneOfThem_Allowed()
    {
        Assert.Null(WriteAccess.Check(EditorOfTwo, "apply", ["bookinfo", "shop"]));
        Assert.NotNull(WriteAccess.Check(EditorOfTwo, "apply", ["bookinfo", "shop", "prod"]));
    }

    [Fact]
    public void EditorOfAll_AnyNamespace_Allowed()
    {
        Assert.Null(WriteAccess.Check(EditorOfAll, "apply", ["prod", "kube-system"]));
    }

    [Fact]
    public void Viewer_AnyNamespace_Denied()
    {
        var denial = WriteAccess.Check(Viewer, "delete", ["bookinfo"]);

        Assert.Equal("user carol (viewer) may not delete in namespace bookinfo: ask an admin for editor access to bookinfo", denial?.Message);
    }

    [Fact]
    public void Admin_AnyNamespace_Allowed()
    {
        Assert.Null(WriteAccess.Check(Admin, "apply", ["prod", "bookinfo"]));
    }

    [Fact]
    public void HostileNamespace_ShortenedInTheMessage()
    {
        var denial = WriteAccess.Check(Editor, "apply", [new string('x', 500)]);

        Assert.True(denial!.Message.Length < 300, denial.Message);
    }
}
