using Mesh.Silo.Access;

namespace Mesh.Silo.Tests.Access;

public sealed class UsersFileTests
{
    private const string Path = "/etc/mesh/users.yaml";
    private const string AliceHash = "2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90"; // sha256("alice")

    [Fact]
    public void Parse_AllRoles_ReadWithHashesAndNamespaces()
    {
        var content = UsersFile.Parse($$"""
            users:
              - name: alice
                role: admin
                tokenSha256: {{AliceHash}}
              - name: bob
                role: editor
                namespaces: [bookinfo, shop]
                tokenSha256: {{AliceHash.ToUpperInvariant().Replace('2', '3')}}
              - name: ci
                role: editor
                namespaces: ["*"]
                token: ci-token
              - name: carol
                role: viewer
                token: carol-token
            """, Path);

        Assert.Equal(["alice", "bob", "ci", "carol"], content.Users.Select(u => u.User.Name));
        Assert.Equal([ApiRole.Admin, ApiRole.Editor, ApiRole.Editor, ApiRole.Viewer], content.Users.Select(u => u.User.Role));
        Assert.Equal(Convert.FromHexString(AliceHash), content.Users[0].TokenSha256);
        Assert.Equal(["bookinfo", "shop"], content.Users[1].User.Namespaces);
        Assert.Equal(ApiUsers.Hash("ci-token"), content.Users[2].TokenSha256);
        Assert.True(content.Users[2].User.CanWrite("anything"));
        Assert.Equal(5, content.Users[1].Line);
    }

    [Fact]
    public void Parse_PlainToken_WarnsNamingTheEntry()
    {
        var content = UsersFile.Parse("""
            users:
              - name: carol
                role: viewer
                token: carol-token
            """, Path);

        var warning = Assert.Single(content.Warnings);
        Assert.Contains($"{Path}:4: users[0] (carol): token: a plain token", warning);
        Assert.Contains("tokenSha256", warning);
    }

    [Theory]
    [InlineData("users:\n  - name: bob\n    role: owner\n    token: t", ":3: users[0] (bob): role: \"owner\" is not a role; use admin, editor or viewer")]
    [InlineData("users:\n  - name: bob\n    token: t", ":2: users[0] (bob): role: required")]
    [InlineData("users:\n  - role: viewer\n    token: t", ":2: users[0]: name: required")]
    [InlineData("users:\n  - name: bob smith\n    role: viewer\n    token: t", ":2: users[0]: name: \"bob smith\" is not a user name")]
    [InlineData("users:\n  - name: bob\n    role: viewer", ":2: users[0] (bob): tokenSha256: required")]
    [InlineData("users:\n  - name: bob\n    role: viewer\n    tokenSha256: abc123", ":4: users[0] (bob): tokenSha256: expected 64 hex digits (the SHA-256 of the token), got 6 characters")]
    [InlineData("users:\n  - name: bob\n    role: viewer\n    token: t\n    tokenSha256: " + AliceHash, ":4: users[0] (bob): token: give tokenSha256 or token, not both")]
    [InlineData("users:\n  - name: bob\n    role: viewer\n    token: ' t'", ":4: users[0] (bob): token: must not be empty, nor begin or end with white space")]
    [InlineData("users:\n  - name: bob\n    role: editor\n    token: t", ":2: users[0] (bob): namespaces: required for an editor")]
    [InlineData("users:\n  - name: bob\n    role: editor\n    namespaces: []\n    token: t", ":4: users[0] (bob): namespaces: expected a non-empty list")]
    [InlineData("users:\n  - name: bob\n    role: editor\n    namespaces: [Prod_1]\n    token: t", ":4: users[0] (bob): namespaces[0]: \"Prod_1\" is not a namespace name")]
    [InlineData("users:\n  - name: bob\n    role: viewer\n    namespaces: [shop]\n    token: t", ":4: users[0] (bob): namespaces: only an editor has namespaces")]
    [InlineData("users:\n  - name: bob\n    role: viewer\n    token: t\n    tokn: x", ":5: users[0] (bob): tokn: unknown field; the fields are name, role, namespaces, tokenSha256, token")]
    [InlineData("users:\n  - name: bob\n    role: [viewer]\n    token: t", ":3: users[0] (bob): role: expected a string")]
    [InlineData("users:\n  - bob", ":2: users[0]: expected a mapping with name, role and tokenSha256")]
    [InlineData("users:\n  - {name: bob, role: viewer, token: a}\n  - {name: Bob, role: viewer, token: b}", ":3: users[1] (Bob): name: the same name as users[0]")]
    [InlineData("users:\n  - {name: bob, role: viewer, token: a}\n  - {name: eve, role: admin, token: a}", ":3: users[1] (eve): tokenSha256: the same token as users[0] (bob)")]
    [InlineData("users: []", ":1: users: the list is empty")]
    [InlineData("users: bob", ":1: users: expected a list of users")]
    [InlineData("people:\n  - name: bob", ":1: unknown field \"people\"; the file holds one field, users")]
    [InlineData("", ": the file is empty")]
    [InlineData("- name: bob", ":1: expected a mapping with a users list")]
    [InlineData("users:\n  - name: bob\n   role: viewer", ":3: ")]
    [InlineData("users:\n  - name: bob\n    name: eve\n    role: viewer\n    token: t", ":3: ")]
    public void Parse_InvalidEntry_RefusedNamingFileLineEntryAndField(string yaml, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => UsersFile.Parse(yaml, Path));

        Assert.StartsWith($"The API users file '{Path}' is not valid:", error.Message);
        Assert.Contains($"{Path}{expected}", error.Message);
    }

    [Fact]
    public void Parse_SeveralBadEntries_ReportsEveryOne()
    {
        var error = Assert.Throws<InvalidOperationException>(() => UsersFile.Parse("""
            users:
              - name: bob
                role: owner
                token: a
              - name: carol
                role: viewer
              - name: dave
                role: editor
                token: d
            """, Path));

        Assert.Contains("users[0] (bob): role:", error.Message);
        Assert.Contains("users[1] (carol): tokenSha256: required", error.Message);
        Assert.Contains("users[2] (dave): namespaces: required", error.Message);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mesh-users-{Guid.NewGuid():N}.yaml");

        var error = Assert.Throws<InvalidOperationException>(() => UsersFile.Load(missing));

        Assert.Contains(missing, error.Message);
        Assert.Contains("does not exist", error.Message);
    }
}
