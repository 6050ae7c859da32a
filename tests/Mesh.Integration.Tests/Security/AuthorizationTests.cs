using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Mesh.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mesh.Integration.Tests.Security;

/// <summary>AuthorizationPolicy and RequestAuthentication enforced by a real sidecar, as Istio would for the same
/// YAML: three callers (frontend over mTLS from shop, intruder over mTLS from namespace other, and a plain-text
/// caller without identity) against one workload.</summary>
[Collection(SecureMeshCollection.Name)]
public class AuthorizationTests(SecureMesh mesh)
{
    private const string Issuer = JwtIssuer.Issuer;
    private static readonly Microsoft.IdentityModel.Tokens.RsaSecurityKey Forger = JwtIssuer.Forger;

    private static string Policies => $$$"""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-admin-from-other, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          action: DENY
          rules:
          - from: [{source: {namespaces: [other]}}]
            to: [{operation: {paths: [/admin/*]}}]
          - when: [{key: "request.headers[x-block]", values: ["yes"]}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: audit-admin, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          action: AUDIT
          rules: [{to: [{operation: {paths: [/admin/*]}}]}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          action: ALLOW
          rules:
          - from: [{source: {principals: [cluster.local/ns/shop/sa/frontend]}}]
            to: [{operation: {methods: [GET, POST], paths: [/api/*, /admin/*]}}]
          - from: [{source: {namespaces: [other]}}]
            to: [{operation: {methods: [GET], paths: [/api/*, /admin/*]}}]
          - to: [{operation: {paths: [/public/*]}}]
          - from: [{source: {ipBlocks: [127.0.0.1/32]}}]
            to: [{operation: {paths: [/ip/*]}}]
          - to: [{operation: {paths: [/keyed]}}]
            when: [{key: "request.headers[x-api-key]", values: [secret]}]
          - from: [{source: {principals: ["*"]}}]
            to: [{operation: {methods: [GET], notPaths: [/api/*, /admin/*, /public/*, /ip/*, /keyed, /jwt/*, /jwt-admin/*]}}]
          - from: [{source: {requestPrincipals: ["{{{Issuer}}}/alice"]}}]
            to: [{operation: {paths: [/jwt/*]}}]
          - to: [{operation: {paths: [/jwt-admin/*]}}]
            when: [{key: "request.auth.claims[groups]", values: [admins]}]
        ---
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: issuer-test, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          jwtRules:
          - issuer: {{{Issuer}}}
            audiences: [web]
            jwks: '{{{Jwks()}}}'
            outputPayloadToHeader: x-jwt-payload
        """;

    private static string Jwks() => JwtIssuer.Jwks();

    private static string Jwt(string subject, string issuer = Issuer, TimeSpan? lifetime = null, Microsoft.IdentityModel.Tokens.SecurityKey? key = null, string[]? groups = null)
        => JwtIssuer.Jwt(subject, issuer, lifetime, key, groups);

    public enum Caller { Frontend, Intruder, Plaintext }

    private async Task<SecureMesh.Reply> Send(Caller caller, string method, string path, Dictionary<string, string>? headers = null)
    {
        if (caller != Caller.Plaintext) return await mesh.Send(caller == Caller.Frontend ? mesh.Frontend : mesh.Intruder, path, method, headers);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(new HttpMethod(method), $"http://127.0.0.1:{mesh.Web.InboundPort}{path}");
        foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(request);
        return new SecureMesh.Reply((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, string> Bearer(string token) => new() { ["authorization"] = $"Bearer {token}" };

    [Fact]
    public async Task The_authorization_matrix_is_what_Istio_decides_for_the_same_policies()
    {
        var block = new Dictionary<string, string> { ["x-block"] = "yes" };
        (Caller Caller, string Method, string Path, Dictionary<string, string>? Headers, int Expected, string Why)[] matrix =
        [
            (Caller.Frontend, "GET", "/api/items", null, 200, "frontend's principal may GET /api"),
            (Caller.Frontend, "POST", "/api/items", null, 200, "and POST"),
            (Caller.Frontend, "DELETE", "/api/items", null, 403, "but not DELETE"),
            (Caller.Frontend, "GET", "/admin/users", null, 200, "frontend may read /admin"),
            (Caller.Intruder, "GET", "/admin/users", null, 403, "DENY from namespace other on /admin wins over its ALLOW"),
            (Caller.Intruder, "GET", "/api/items", null, 200, "namespace other may GET /api"),
            (Caller.Intruder, "POST", "/api/items", null, 403, "but not POST"),
            (Caller.Plaintext, "GET", "/api/items", null, 403, "no identity, no /api"),
            (Caller.Plaintext, "GET", "/admin/users", null, 403, "no identity, no /admin"),
            (Caller.Plaintext, "GET", "/public/page", null, 200, "/public is open to anyone"),
            (Caller.Intruder, "GET", "/public/page", null, 200, "also over mTLS"),
            (Caller.Frontend, "DELETE", "/public/page", null, 200, "with any method"),
            (Caller.Frontend, "GET", "/api/items", block, 403, "DENY on a header comes before every ALLOW"),
            (Caller.Intruder, "GET", "/public/page", block, 403, "even on an open path"),
            (Caller.Plaintext, "GET", "/public/page", block, 403, "and for plain text"),
            (Caller.Frontend, "GET", "/ip/x", null, 200, "ipBlocks: loopback"),
            (Caller.Intruder, "GET", "/ip/x", null, 200, "ipBlocks match the direct peer"),
            (Caller.Plaintext, "GET", "/ip/x", null, 200, "whatever its identity"),
            (Caller.Plaintext, "GET", "/keyed", new() { ["x-api-key"] = "secret" }, 200, "when request.headers matches"),
            (Caller.Plaintext, "GET", "/keyed", new() { ["x-api-key"] = "guess" }, 403, "a wrong value does not"),
            (Caller.Plaintext, "GET", "/keyed", null, 403, "nor a missing header"),
            (Caller.Frontend, "GET", "/other", null, 200, "any principal may GET paths outside notPaths"),
            (Caller.Intruder, "GET", "/other", null, 200, "from any namespace"),
            (Caller.Plaintext, "GET", "/other", null, 403, "principals [*] needs an identity"),
            (Caller.Frontend, "POST", "/other", null, 403, "and only GET"),
            (Caller.Frontend, "GET", "/API/items", null, 200, "paths are case-sensitive: /API is not /api, so the notPaths rule allows it"),
            (Caller.Intruder, "GET", "/admin", null, 200, "/admin/* does not cover /admin itself"),
            (Caller.Plaintext, "GET", "/jwt/a", Bearer(Jwt("alice")), 200, "a valid token for the allowed request principal"),
            (Caller.Plaintext, "GET", "/jwt/a", Bearer(Jwt("bob")), 403, "another principal is authenticated but not allowed"),
            (Caller.Plaintext, "GET", "/jwt/a", null, 403, "no token: authenticated as nobody, so not allowed"),
            (Caller.Plaintext, "GET", "/jwt/a", Bearer(Jwt("alice", lifetime: TimeSpan.FromMinutes(-5))), 401, "an expired token is refused"),
            (Caller.Plaintext, "GET", "/jwt/a", Bearer(Jwt("alice", issuer: "https://evil.test")), 401, "a token from an unknown issuer is refused"),
            (Caller.Plaintext, "GET", "/jwt/a", Bearer(Jwt("alice", key: Forger)), 401, "a token signed with another key is refused"),
            (Caller.Plaintext, "GET", "/public/page", Bearer(Jwt("alice", key: Forger)), 401, "a bad token is refused even where no principal is needed"),
            (Caller.Frontend, "GET", "/jwt/a", Bearer(Jwt("alice")), 200, "JWT over mTLS"),
            (Caller.Plaintext, "GET", "/jwt-admin/x", Bearer(Jwt("bob", groups: ["admins"])), 200, "when request.auth.claims[groups] contains admins"),
            (Caller.Plaintext, "GET", "/jwt-admin/x", Bearer(Jwt("alice", groups: ["users"])), 403, "other groups do not"),
            (Caller.Plaintext, "GET", "/jwt-admin/x", Bearer(Jwt("alice")), 403, "nor a token without groups"),
        ];
        try
        {
            await mesh.Apply(Policies);
            await Timeouts.Until(async () => (await Send(Caller.Plaintext, "GET", "/api/items")).Status == 403
                && (await Send(Caller.Plaintext, "GET", "/jwt/a", Bearer(Jwt("alice", key: Forger)))).Status == 401,
                TimeSpan.FromSeconds(20), "the policies reach the web sidecar");
            var wrong = new List<string>();
            foreach (var (caller, method, path, headers, expected, why) in matrix)
            {
                var reply = await Send(caller, method, path, headers);
                if (reply.Status != expected) wrong.Add($"{caller} {method} {path}: {reply.Status}, expected {expected} ({why}): {reply.Body[..Math.Min(120, reply.Body.Length)]}");
            }
            Assert.True(wrong.Count == 0, $"{wrong.Count} of {matrix.Length} cases differ:\n" + string.Join('\n', wrong));

            // RequestAuthentication's outputs: the payload header, and the token is forwarded (forwardOriginalToken
            // only matters when false, which is Istio's default: the header stays unless told otherwise? no: Envoy's
            // forward defaults to false, so the token is removed).
            var echoed = SecureMesh.Echo(await Send(Caller.Plaintext, "GET", "/jwt/echo", Bearer(Jwt("alice"))));
            Assert.NotNull(echoed["x-jwt-payload"]);
            Assert.Null(echoed["authorization"]);
            // AUDIT: a line per /admin request, allowed or not.
            await Timeouts.Until(() => Task.FromResult(mesh.Web.Process.Log().Contains("AUDIT policy ns[shop]-policy[audit-admin]-rule[0]")),
                TimeSpan.FromSeconds(10), "the AUDIT policy logs /admin requests");
        }
        finally
        {
            foreach (var name in new[] { "deny-admin-from-other", "audit-admin", "allow" }) await mesh.Delete("AuthorizationPolicy", "shop", name);
            await mesh.Delete("RequestAuthentication", "shop", "issuer-test");
            await Timeouts.Until(async () => (await Send(Caller.Plaintext, "GET", "/api/items")).Status == 200, TimeSpan.FromSeconds(20), "policies removed");
        }
    }
}
