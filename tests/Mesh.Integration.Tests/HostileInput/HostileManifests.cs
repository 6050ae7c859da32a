using System.Text;
using System.Text.Json.Nodes;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.HostileInput;

/// <summary>Malformed and hostile manifests, each one that no server may store: mutations of the valid
/// documents of the config tests, the invalid ones as they are, and generated garbage.</summary>
public static class HostileManifests
{
    public sealed record Case(string Name, byte[] Bytes, string? ExpectedFragment = null)
    {
        public override string ToString() => Name;
    }

    private static string Documents => Path.Combine(Repository.Root, "tests", "Mesh.Config.Tests", "Documents");

    public static IReadOnlyList<Case> All()
    {
        var cases = new List<Case>();
        cases.AddRange(KnownInvalid());
        cases.AddRange(Mutations());
        cases.AddRange(Truncations());
        cases.AddRange(Garbage());
        return cases;
    }

    /// <summary>The config tests' invalid documents, with the error each must produce.</summary>
    private static IEnumerable<Case> KnownInvalid() =>
        Directory.EnumerateFiles(Path.Combine(Documents, "invalid"), "*.yaml").Order(StringComparer.Ordinal).Select(file =>
        {
            var text = File.ReadAllText(file);
            var first = text.Split('\n')[0];
            var fragment = first.StartsWith("# expect:", StringComparison.Ordinal) ? first["# expect:".Length..].Trim() : null;
            return new Case($"invalid/{Path.GetFileName(file)}", File.ReadAllBytes(file), fragment);
        });

    /// <summary>Every valid resource, broken seven ways.</summary>
    private static IEnumerable<Case> Mutations()
    {
        var mutations = new (string Name, Action<JsonObject> Apply, string Fragment)[]
        {
            ("spec-number", d => d["spec"] = 42, "spec"),
            ("spec-string", d => d["spec"] = "text", "spec"),
            ("spec-list", d => d["spec"] = new JsonArray(1, 2), "spec"),
            ("unknown-field", d => d["spec"]!.AsObject()["bogusField"] = 1, "unknown field \"bogusField\""),
            ("bad-name", d => d["metadata"]!["name"] = "Not_A_Label", "metadata.name"),
            ("bad-version", d => d["apiVersion"] = "networking.istio.io/v9", "apiVersion"),
            ("bad-kind", d => d["kind"] = "VirtualMachine", "kind"),
        };
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Documents, "valid"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var roots = ManifestParser.Parse(File.ReadAllBytes(file)).Where(d => d.Root?["spec"] is JsonObject).Select(d => d.Root!).ToList();
            for (var i = 0; i < roots.Count; i++)
            {
                foreach (var (name, apply, fragment) in mutations)
                {
                    var copy = roots[i].DeepClone().AsObject();
                    apply(copy);
                    yield return new Case($"{Path.GetFileName(file)}#{i}/{name}", Encoding.UTF8.GetBytes(copy.ToJsonString()), fragment);
                }
            }
        }
    }

    /// <summary>The bookinfo sample cut short at many places; only the cuts that leave an invalid manifest (most do)
    /// are kept, as a cut between two whole documents is a valid, shorter manifest.</summary>
    private static IEnumerable<Case> Truncations()
    {
        var sample = File.ReadAllBytes(Path.Combine(Repository.Root, "deploy", "samples", "bookinfo", "reviews.yaml"));
        for (var length = 1; length < sample.Length; length += 11)
        {
            var bytes = sample[..length];
            var documents = ManifestParser.Parse(bytes);
            var invalid = documents.Count == 0 || documents.Any(d => d.Root is null || d.Errors.Count > 0 || !ResourceValidator.Validate(d.Root, "default", d.Index).IsValid);
            if (invalid) yield return new Case($"truncated-at-{length}", bytes);
        }
    }

    private static IEnumerable<Case> Garbage()
    {
        const string head = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ";
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
        static byte[] Join(params byte[][] parts) => [.. parts.SelectMany(p => p)];

        yield return new Case("empty", []);
        yield return new Case("whitespace", Utf8("   \n\n  "));
        yield return new Case("only-separators", Utf8("---\n---\n---\n"));
        foreach (var (name, bytes) in new (string, byte[])[]
        {
            ("lone-continuation", [0x80]), ("overlong-slash", [0xC0, 0xAF]), ("truncated-2byte", [0xC3]),
            ("bad-second-byte", [0xC3, 0x28]), ("surrogate-half", [0xED, 0xA0, 0x80]), ("ff-byte", [0xFF]),
            ("fe-byte", [0xFE]), ("truncated-4byte", [0xF0, 0x9F, 0x98]), ("beyond-unicode", [0xF4, 0x90, 0x80, 0x80]),
            ("overlong-nul", [0xC0, 0x80]),
        })
        {
            yield return new Case($"invalid-utf8/{name}", Join(Utf8(head), bytes, Utf8("\n  namespace: x\nspec:\n  hosts: [a]\n")), "UTF-8");
        }
        var huge = new string('a', 10 * 1024 * 1024);
        yield return new Case("10mb-name", Utf8(head + huge + "\nspec:\n  hosts: [a]\n"));
        yield return new Case("10mb-host", Utf8(head + "big\nspec:\n  hosts: [\"" + huge + "\"]\n"));
        yield return new Case("10mb-annotation", Utf8(head + "big\n  annotations:\n    a: \"" + huge + "\"\nspec:\n  hosts: [a]\n"));
        yield return new Case("deep-flow-lists", Utf8(head + "deep\nspec:\n  hosts: " + new string('[', 10_000) + new string(']', 10_000) + "\n"));
        yield return new Case("deep-flow-maps", Utf8(head + "deep\nspec:\n  x: " + string.Concat(Enumerable.Repeat("{a: ", 10_000)) + "1" + new string('}', 10_000) + "\n"));
        yield return new Case("deep-json", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)));
        yield return new Case("deep-block", Utf8(head + "deep\nspec:\n" + string.Concat(Enumerable.Range(1, 5_000).Select(i => new string(' ', i) + "a:\n"))));
        foreach (var levels in new[] { 6, 9, 12 })
        {
            var bomb = new StringBuilder("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: bomb}\nspec:\n  a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
            for (var i = 1; i <= levels; i++)
            {
                bomb.Append($"  a{i}: &a{i} [{string.Join(",", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
            }
            yield return new Case($"alias-bomb-{levels}", Utf8(bomb.ToString()));
        }
        yield return new Case("nul-bytes", Join(Utf8(head + "nul"), [0, 0, 0], Utf8("\nspec:\n  hosts: [a]\n")));
        yield return new Case("tabs-indent", Utf8("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n\tname: tabs\nspec:\n\thosts: [a]\n"));
        yield return new Case("python-tag", Utf8(head + "tag\nspec: !!python/object:os.system [\"rm -rf /\"]\n"));
        yield return new Case("duplicate-keys", Utf8(head + "dup\n  name: dup2\nspec:\n  hosts: [a]\n"));
        yield return new Case("huge-number", Utf8(head + "num\nspec:\n  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a}\n      weight: 1e999\n"));
        yield return new Case("port-out-of-range", Utf8(head + "port\nspec:\n  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a, port: {number: 70000}}\n"));
        yield return new Case("negative-weight", Utf8(head + "neg\nspec:\n  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a}\n      weight: -5\n    - destination: {host: b}\n      weight: 105\n"));
        yield return new Case("json-trailing-garbage", Utf8("{\"apiVersion\":\"networking.istio.io/v1\",\"kind\":\"VirtualService\"}}}garbage"));
        yield return new Case("json-truncated", Utf8("{\"apiVersion\":\"networking.istio.io/v1\",\"kind\":\"VirtualSer"));
        yield return new Case("root-is-list", Utf8("- a\n- b\n"));
        yield return new Case("root-is-scalar", Utf8("hello\n"));
        yield return new Case("many-bad-documents", Utf8(string.Concat(Enumerable.Range(0, 1500).Select(i => $"---\nkind: Nope{i}\n"))));
        yield return new Case("good-then-bad", Utf8(head + "good\n  namespace: hostile\nspec:\n  hosts: [a]\n---\n" + head + "BAD\n  namespace: hostile\nspec:\n  hosts: [a]\n"), "metadata.name");
        var random = new Random(20261125);
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            yield return new Case($"random-{i}", bytes);
        }
        for (var i = 0; i < 20; i++)
        {
            // Printable garbage that often parses as YAML but never as a resource.
            var chars = Enumerable.Range(0, random.Next(1, 300)).Select(_ => (char)random.Next(32, 127)).ToArray();
            yield return new Case($"printable-{i}", Utf8(new string(chars)));
        }
    }
}
