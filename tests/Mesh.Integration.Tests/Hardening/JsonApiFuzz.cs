using System.Text;

namespace Mesh.Integration.Tests.Hardening;

/// <summary>Malformed requests for every JSON API route: broken and mistyped bodies, odd content types, hostile path
/// and query values, and seeded random mutations of a valid apply body.</summary>
public static class JsonApiFuzz
{
    private const string ValidApply = """{"manifest":"apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r, namespace: fuzz}\nspec: {host: r}\n","namespace":"fuzz","dryRun":true}""";

    private static readonly string[] Bodies =
    [
        "", "{", "}", "[]", "null", "1", "\"x\"", "{\"manifest\":1}", "{\"manifest\":null}", "{\"manifest\":[]}", "{\"manifest\":{}}",
        "{\"manifestBytes\":\"!!!\"}", "{\"manifestBytes\":\"YWJj\"}", "{\"manifestBytes\":1}", "{\"dryRun\":\"yes\"}", "{\"namespace\":{}}",
        "{\"unknown\":1}", "{\"manifest\":\"\\u0000\"}", "{\"manifest\":\"\\ud800\"}", "{\"manifest\":\"a: &a [*a, *a]\"}",
        "{\"expectedResourceVersion\":\"-1\",\"manifest\":\"x: 1\"}", "{\"expectedResourceVersion\":1e400}", "{\"manifest\":\"x\"",
        new string('[', 10_000), string.Concat(Enumerable.Repeat("{\"a\":", 1000)), "{\"ttl\":\"abc\"}", "{\"ttl\":\"-1s\"}",
        "{\"ttl\":\"99999999999999s\"}", "{\"namespace\":\"x\",\"serviceAccount\":\"\\u001b[31m\",\"ttl\":\"1s\"}", "{\"retirePrevious\":\"x\"}",
        "{\"namespace\":\"" + new string('n', 300) + "\"}", "\uFEFF{}", "{\"manifest\":\"\u001b[2J\\n---\\n...\\n\"}",
    ];

    private static readonly string?[] ContentTypes =
        ["application/json", "application/json; charset=utf-8", "application/json; charset=nope", "application/json; charset=utf-16", "text/plain", "application/x-www-form-urlencoded", null, ";;;"];

    private static readonly string[] Reads =
    [
        "/version", "/ca", "/certificates?namespace=%20", "/certificates?namespace=%00", "/proxies?nodeId=%20", "/proxies/%20/config", "/proxies/%0a/config",
        "/audit?since=xyz", "/audit?limit=abc", "/audit?limit=-5", "/audit?limit=99999999999", "/audit?namespace=%00", "/audit?user=%1b&namespace=%20",
        "/watch?kind=nope", "/watch?kind=VirtualService&namespace=%20&resourceVersion=x", "/Nope", "/virtualservices?limit=x", "/VirtualService?namespace=" + new string('a', 5000),
        "/namespaces/%ff/VirtualService/x", "/namespaces/a/VirtualService/..%2f..", "/namespaces/%20/VirtualService/%20", "/namespaces/a/VirtualService/%20/history",
        "/namespaces/a/Nope/x/history", "/services/%00/endpoints", "/services/%20/endpoints", "/services/a..b/endpoints?namespace=%0a", "/%20",
    ];

    public static IEnumerable<(HttpMethod Method, string Path, byte[]? Body, string? ContentType)> Cases()
    {
        foreach (var path in new[] { "/apply", "/tokens", "/ca/rotate" })
        {
            foreach (var body in Bodies)
            {
                foreach (var contentType in ContentTypes) yield return (HttpMethod.Post, path, Encoding.UTF8.GetBytes(body), contentType);
            }
            yield return (HttpMethod.Post, path, [0xff, 0xfe, 0x00, 0x7b], "application/json");
        }
        foreach (var read in Reads)
        {
            yield return (HttpMethod.Get, read, null, null);
            yield return (HttpMethod.Get, read, Encoding.UTF8.GetBytes("{garbage"), "application/json");
            yield return (HttpMethod.Delete, read.Split('?')[0], null, null);
        }
        var random = new Random(10);
        var valid = Encoding.UTF8.GetBytes(ValidApply);
        for (var i = 0; i < 200; i++)
        {
            yield return (HttpMethod.Post, "/apply", Mutate(valid, random), "application/json");
        }
    }

    /// <summary>Flips, drops, duplicates or truncates a few bytes.</summary>
    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = input.ToList();
        for (var edits = random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, bytes[random.Next(bytes.Count)]); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        return [.. bytes];
    }
}
