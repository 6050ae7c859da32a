using System.Text.Json.Nodes;

namespace Mesh.Config.Tests.Fuzzing;

/// <summary>Mutates a document's tree: swaps types, deletes, plants hostile strings and numbers, nests deeply,
/// repeats list items, adds unknown fields. Each call names what it did, for the failure report.</summary>
internal sealed class TreeMutator(Random random)
{
    private static readonly string[] HostileStrings =
    [
        "", " ", "\r\nX-Injected: 1", "v\nw", "\0", "\u001b[31mred\u001b[0m", "\u202eevil", "\u200b", "🙂🙂", "é\u0301", "\uFEFF",
        "---", "...", "--- a", "a: b", "{", "[", "*", "&a", "!!python/object", "%", "100%", "%REQ(", "a{1001}", "(a{100}){100}",
        "(a+)+$", "(?=a)", "\\", "9223372036854775808ns", "-1s", "1.5ms", "0", "315576000001s", "unix://", "*.*", "..", "a..b",
        "::1", "0.0.0.0/33", "host", ":authority", "x y", "GET\r\n", "null", "true", "1e309", "0x1F",
    ];

    public string Mutate(JsonObject document)
    {
        var count = 1 + random.Next(3);
        var done = new List<string>();
        for (var i = 0; i < count; i++) done.Add(MutateOnce(document));
        return string.Join(", ", done);
    }

    private string MutateOnce(JsonObject document)
    {
        var places = new List<(JsonNode Parent, string? Key, int Index, string Path)>();
        Collect(document, "", places);
        if (places.Count == 0) return "nothing to mutate";
        var (parent, key, index, path) = places[random.Next(places.Count)];
        switch (random.Next(10))
        {
            case 0:
                Set(parent, key, index, OtherType(Get(parent, key, index)));
                return $"type swap at {path}";
            case 1:
                if (parent is JsonObject obj) obj.Remove(key!);
                else ((JsonArray)parent).RemoveAt(index);
                return $"delete {path}";
            case 2:
                var text = random.Next(6) == 0 ? Huge() : HostileStrings[random.Next(HostileStrings.Length)];
                Set(parent, key, index, JsonValue.Create(text));
                return $"string {Describe(text)} at {path}";
            case 3:
                Set(parent, key, index, HostileNumber());
                return $"number at {path}";
            case 4:
                var depth = random.Next(20, 120);
                JsonNode nested = JsonValue.Create("deep");
                for (var d = 0; d < depth; d++) nested = random.Next(2) == 0 ? new JsonArray(nested) : new JsonObject { ["a"] = nested };
                Set(parent, key, index, nested);
                return $"nesting {depth} at {path}";
            case 5 when Get(parent, key, index) is JsonArray list && list.Count > 0:
                var copies = random.Next(50, 3000);
                for (var c = 0; c < copies; c++) list.Add(list[random.Next(list.Count)]?.DeepClone());
                return $"{copies} copies in {path}";
            case 6 when Get(parent, key, index) is JsonObject target:
                target["zz" + random.Next(1000)] = HostileStrings[random.Next(HostileStrings.Length)];
                return $"unknown field in {path}";
            case 7:
                Set(parent, key, index, random.Next(2) == 0 ? new JsonObject() : new JsonArray());
                return $"empty container at {path}";
            case 8:
                Set(parent, key, index, null);
                return $"null at {path}";
            default:
                var key2 = HostileStrings[random.Next(HostileStrings.Length)];
                if (parent is JsonObject owner && !owner.ContainsKey(key2)) owner[key2] = "k";
                return $"hostile key {Describe(key2)} beside {path}";
        }
    }

    private static void Collect(JsonNode node, string path, List<(JsonNode, string?, int, string)> places)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    var childPath = $"{path}.{name}";
                    places.Add((obj, name, -1, childPath));
                    if (child is not null) Collect(child, childPath, places);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    places.Add((array, null, i, $"{path}[{i}]"));
                    if (array[i] is { } child) Collect(child, $"{path}[{i}]", places);
                }
                break;
        }
    }

    private static JsonNode? Get(JsonNode parent, string? key, int index) => parent is JsonObject obj ? obj[key!] : ((JsonArray)parent)[index];

    private static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (parent is JsonObject obj) obj[key!] = value;
        else ((JsonArray)parent)[index] = value;
    }

    private JsonNode? OtherType(JsonNode? node) => (node, random.Next(4)) switch
    {
        (JsonValue, 0) => new JsonObject { ["a"] = 1 },
        (JsonValue, 1) => new JsonArray(1, "two"),
        (JsonValue v, _) when v.GetValueKind() == System.Text.Json.JsonValueKind.String => JsonValue.Create(random.Next(100_000)),
        (JsonValue, _) => JsonValue.Create("text"),
        (JsonObject, 0) => new JsonArray(),
        (JsonArray, 0) => new JsonObject(),
        (_, 1) => JsonValue.Create(true),
        (_, 2) => JsonValue.Create(3.5),
        _ => JsonValue.Create("text"),
    };

    private JsonNode HostileNumber() => random.Next(8) switch
    {
        0 => JsonValue.Create(-1),
        1 => JsonValue.Create(0),
        2 => JsonValue.Create((long)int.MaxValue + 1),
        3 => JsonValue.Create(long.MaxValue),
        4 => JsonValue.Create(ulong.MaxValue),
        5 => JsonValue.Create(0.5),
        6 => JsonValue.Create(1e300),
        _ => JsonValue.Create(decimal.MaxValue),
    };

    private string Huge() => new(random.Next(2) == 0 ? 'a' : '\u00e9', random.Next(10_000, 300_000));

    private static string Describe(string text) => Mesh.Config.Validation.Rules.Names.Short(text, 24);
}
