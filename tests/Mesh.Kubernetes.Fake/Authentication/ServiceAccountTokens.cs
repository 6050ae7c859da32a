using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Errors;
using Mesh.Kubernetes.Fake.Resources;
using Mesh.Kubernetes.Fake.Storage;

namespace Mesh.Kubernetes.Fake.Authentication;

/// <summary>Bound service-account tokens as kube-apiserver issues and reviews them: TokenRequest
/// (<c>POST .../serviceaccounts/SA/token</c>) signs a JWT for the account with the audiences asked for (the server's own
/// when none) and a lifetime of at least 10 minutes; TokenReview authenticates only a token this server issued, not
/// expired, whose account still exists with the same uid, and for an audience the review and the token share.</summary>
public sealed class ServiceAccountTokens(ObjectStore store, ResourceTypes types, TimeProvider? clock = null)
{
    /// <summary>The server's own audience and issuer: what a token is for when the request names no audience.</summary>
    public const string ApiAudience = "https://kubernetes.default.svc.cluster.local";

    public const long DefaultExpirationSeconds = 3600, MinExpirationSeconds = 600, MaxExpirationSeconds = 1L << 32;

    private ResourceType ServiceAccounts => types.Find("", "v1", "serviceaccounts") ?? throw new ApiError(404, "NotFound", "this server does not serve serviceaccounts");

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Issued> _issued = new(StringComparer.Ordinal);

    private sealed record Issued(string Namespace, string Account, string Uid, IReadOnlyList<string> Audiences, DateTimeOffset Expires);

    /// <summary>The TokenRequest answered: the request with <c>status.token</c> and <c>status.expirationTimestamp</c>.</summary>
    public JsonObject Request(string ns, string account, JsonObject request)
    {
        var spec = request["spec"] as JsonObject ?? new JsonObject();
        var seconds = spec["expirationSeconds"] is JsonValue e && e.TryGetValue<long>(out var asked) ? asked : DefaultExpirationSeconds;
        var type = new ResourceType("authentication.k8s.io", "v1", "tokenrequests", "TokenRequest", HasStatus: false);
        if (seconds < MinExpirationSeconds) throw ApiError.Invalid(type, account, "spec.expirationSeconds", "may not specify a duration less than 10 minutes");
        if (seconds > MaxExpirationSeconds) throw ApiError.Invalid(type, account, "spec.expirationSeconds", "may not specify a duration larger than 2^32 seconds");
        var serviceAccount = store.Get(ServiceAccounts, ns, account) ?? throw ApiError.NotFound(ServiceAccounts, account);
        var audiences = (spec["audiences"] as JsonArray ?? []).Select(a => a?.GetValue<string>() ?? "").Where(a => a.Length > 0).ToList();
        if (audiences.Count == 0) audiences.Add(ApiAudience);
        var uid = serviceAccount["metadata"]?["uid"]?.GetValue<string>() ?? "";
        var now = _clock.GetUtcNow();
        var expires = now.AddSeconds(seconds);
        var token = Sign(new JsonObject
        {
            ["aud"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["iss"] = ApiAudience,
            ["jti"] = Guid.NewGuid().ToString(),
            ["sub"] = Username(ns, account),
            ["kubernetes.io"] = new JsonObject { ["namespace"] = ns, ["serviceaccount"] = new JsonObject { ["name"] = account, ["uid"] = uid } },
        });
        _issued[token] = new Issued(ns, account, uid, audiences, expires);
        var answer = request.DeepClone().AsObject();
        answer["kind"] = "TokenRequest";
        answer["apiVersion"] = "authentication.k8s.io/v1";
        var metadata = answer["metadata"] as JsonObject ?? new JsonObject();
        metadata["name"] = account;
        metadata["namespace"] = ns;
        answer["metadata"] = metadata;
        spec["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]);
        spec["expirationSeconds"] = seconds;
        answer["spec"] = spec.DeepClone();
        answer["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = expires.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) };
        return answer;
    }

    /// <summary>The TokenReview answered: <c>status.authenticated</c>, the user and the audiences both sides share, or
    /// <c>status.error</c> saying why not (a refusal is an answer, not an HTTP error, as the real server does).</summary>
    public JsonObject Review(JsonObject review)
    {
        var spec = review["spec"] as JsonObject;
        var token = spec?["token"]?.GetValue<string>() ?? "";
        if (token.Length == 0) throw ApiError.BadRequest("token is required for TokenReview in authentication");
        var wanted = (spec!["audiences"] as JsonArray ?? []).Select(a => a?.GetValue<string>() ?? "").Where(a => a.Length > 0).ToList();
        var answer = review.DeepClone().AsObject();
        answer["kind"] = "TokenReview";
        answer["apiVersion"] = "authentication.k8s.io/v1";
        answer["status"] = Status(token, wanted.Count == 0 ? [ApiAudience] : wanted);
        return answer;
    }

    private JsonObject Status(string token, IReadOnlyList<string> wanted)
    {
        if (!_issued.TryGetValue(token, out var issued)) return Refused("invalid bearer token");
        if (issued.Expires <= _clock.GetUtcNow()) return Refused("invalid bearer token, token has expired");
        var current = store.Get(ServiceAccounts, issued.Namespace, issued.Account);
        if (current?["metadata"]?["uid"]?.GetValue<string>() != issued.Uid)
        {
            return Refused($"invalid bearer token, service account {issued.Namespace}/{issued.Account} has been deleted");
        }
        var shared = wanted.Where(issued.Audiences.Contains).ToList();
        if (shared.Count == 0)
        {
            return Refused($"invalid bearer token, token audiences [{string.Join(' ', issued.Audiences)}] is invalid for the target audiences [{string.Join(' ', wanted)}]");
        }
        return new JsonObject
        {
            ["authenticated"] = true,
            ["user"] = new JsonObject
            {
                ["username"] = Username(issued.Namespace, issued.Account),
                ["uid"] = issued.Uid,
                ["groups"] = new JsonArray("system:serviceaccounts", $"system:serviceaccounts:{issued.Namespace}", "system:authenticated"),
            },
            ["audiences"] = new JsonArray([.. shared.Select(a => (JsonNode)a)]),
        };
    }

    private static JsonObject Refused(string error) => new() { ["user"] = new JsonObject(), ["error"] = error };

    public static string Username(string ns, string account) => $"system:serviceaccount:{ns}:{account}";

    private string Sign(JsonObject claims)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" };
        var signed = $"{Base64Url(header.ToJsonString())}.{Base64Url(claims.ToJsonString())}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    private static string Base64Url(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
