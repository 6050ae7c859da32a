using System.Text.Json.Nodes;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Sidecar;

/// <summary>Finding 6 of issue 10, against real processes: the sidecar normalizes the path as Envoy's BASE does,
/// once, before policy, so that a DENY on <c>/admin*</c> cannot be walked around; and escaped slashes reach the
/// application exactly as the caller wrote them, directly and through a client sidecar.</summary>
[Collection(PlainMeshCollection.Name)]
[Trait("Category", "Sidecar")]
public sealed class PathNormalizationTests(PlainMesh mesh)
{
    private static string Target(Curl.Reply reply) => JsonNode.Parse(reply.Body)!["target"]!.GetValue<string>();

    [Fact]
    public async Task A_DENY_on_admin_holds_for_every_spelling_of_the_path_and_escaped_slashes_arrive_unchanged()
    {
        await mesh.Apply(PlainMesh.DenyAdmin);
        try
        {
            await Timeouts.Until(async () => (await mesh.SendDirect("/admin")).Status == 403, TimeSpan.FromSeconds(15), "the DENY is in force");

            foreach (var path in new[] { @"/x\..\admin", "/x/../admin", "/%61dmin", "/x/./../admin/", @"/x\..\%61dmin\..\admin" })
            {
                Assert.Equal(403, (await mesh.SendDirect(path)).Status);
                Assert.Equal(403, (await mesh.Send(PlainMesh.Host, path)).Status);
            }

            // Under BASE an escaped slash is not a slash: the path is not /admin, and the application gets it as sent.
            var direct = await mesh.SendDirect("/%2Fadmin?q=%2F");
            Assert.Equal(200, direct.Status);
            Assert.Equal("/%2Fadmin?q=%2F", Target(direct));
            var through = await mesh.Send(PlainMesh.Host, "/%2Fadmin%5C?q=%2F");
            Assert.Equal(200, through.Status);
            Assert.Equal("/%2Fadmin%5C?q=%2F", Target(through));
            // The application receives the normalized path, as from Envoy.
            Assert.Equal("/public/x", Target(await mesh.Send(PlainMesh.Host, @"/public\y\..\%78")));
        }
        finally
        {
            await mesh.Delete("AuthorizationPolicy", "deny-admin");
        }
    }
}
