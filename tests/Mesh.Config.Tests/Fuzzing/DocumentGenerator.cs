using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Validation;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Schemas;

namespace Mesh.Config.Tests.Fuzzing;

/// <summary>Generates documents of a kind by walking its schema: required fields always, a random few of the others,
/// one of each exclusive group, and scalars the field's own rules accept (each candidate is checked against the
/// schema, so the generator needs no copy of the rules). Valid documents are the seeds the mutators start from.</summary>
internal sealed class DocumentGenerator(Random random)
{
    private const int MaxDepth = 8;

    /// <summary>Strings that some rule of some field accepts; the schema picks the first that fits.</summary>
    private static readonly string[] Strings =
    [
        "reviews", "v1", "reviews.bookinfo.svc.cluster.local", "*.example.com", "1s", "250ms", "^/api/v[0-9]+/.*$", "10.0.0.0/8",
        "10.0.0.1", "x-user", "GET", "https://issuer.example.com/jwks", "cluster.local/ns/default/sa/api", "/", "./*",
        "istio-system/*", "prod/api", "8080", "us-east/zone-a", "http", "https", "HTTP", "a", "value", "127.0.0.1:8080",
        "unix:///var/run/app.sock", "mesh", "bookinfo/gateway", "5xx,connect-failure", "SGVsbG8=", "0s", "request.headers[x-user]",
        "source.ip", "*", ".", "session", "Bearer ", "sub", "example.com", "reviews:9080", "UNAVAILABLE", "ext-authz",
    ];

    private static readonly string[] Keys = ["app", "version", "x-user", "http", "9080", "team", "us-east", "443"];

    public JsonObject Document(ResourceKind kind, int index)
    {
        JsonObject document = Build(kind, index);
        for (var attempt = 0; attempt < 40 && !ResourceValidator.Validate(document).IsValid; attempt++) document = Build(kind, index);
        return document;
    }

    private JsonObject Build(ResourceKind kind, int index) => new()
    {
        ["apiVersion"] = kind.PreferredApiVersion,
        ["kind"] = kind.ManifestKind,
        ["metadata"] = new JsonObject
        {
            ["name"] = $"gen-{index}",
            ["namespace"] = random.Next(3) == 0 ? "prod" : "default",
            ["labels"] = new JsonObject { ["app"] = "gen" },
        },
        ["spec"] = Object(KindSchemas.For(kind), 0),
    };

    private JsonNode? Value(FieldSchema schema, int depth) => schema switch
    {
        ObjectSchema obj => Object(obj, depth + 1),
        ListSchema list => List(list, depth + 1),
        MapSchema map => Map(map, depth + 1),
        EnumSchema choice => choice.Values[random.Next(choice.Values.Count)],
        IntegerSchema integer => Integer(integer),
        NumberSchema number => Math.Round(number.Min + (random.NextDouble() * (Math.Min(number.Max, number.Min + 100) - number.Min)), 2),
        BoolSchema => random.Next(2) == 0,
        StringSchema text => Text(text),
        _ => null,
    };

    private JsonObject Object(ObjectSchema schema, int depth)
    {
        JsonObject? last = null;
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var chosen = Choose(schema, depth);
            var obj = new JsonObject();
            foreach (var name in chosen) obj[name] = Value(schema.Fields[name], depth);
            if (Fits(schema, obj)) return obj;
            last = obj;
        }
        return last!;
    }

    private List<string> Choose(ObjectSchema schema, int depth)
    {
        var optional = depth >= MaxDepth ? 0.0 : 0.45 / (1 + (depth * 0.3));
        var chosen = schema.Fields.Keys.Where(name => schema.Required.Contains(name) || random.NextDouble() < optional).ToList();
        foreach (var (names, exactlyOne) in schema.Choices)
        {
            var present = chosen.Where(names.Contains).ToList();
            var keep = present.Count > 0 ? present[random.Next(present.Count)] : exactlyOne ? names[random.Next(names.Length)] : null;
            chosen.RemoveAll(n => names.Contains(n) && n != keep);
            if (keep is not null && !chosen.Contains(keep)) chosen.Add(keep);
        }
        return chosen;
    }

    private JsonArray List(ListSchema schema, int depth)
    {
        JsonArray? last = null;
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var list = new JsonArray();
            var count = random.Next(4) == 0 ? 2 : 1;
            for (var i = 0; i < count; i++) list.Add(Value(schema.Item, depth));
            if (Fits(schema, list)) return list;
            last = list;
        }
        return last!;
    }

    private JsonObject Map(MapSchema schema, int depth)
    {
        foreach (var key in Keys.OrderBy(_ => random.Next()))
        {
            var map = new JsonObject { [key] = Value(schema.Value, depth) };
            if (Fits(schema, map)) return map;
        }
        return [];
    }

    private long Integer(IntegerSchema schema)
    {
        var min = Math.Max(schema.Min, schema.Min < 0 ? 0 : schema.Min);
        var max = Math.Min(schema.Max, min + 100);
        return min + (long)(random.NextDouble() * (max - min));
    }

    private string Text(StringSchema schema)
    {
        foreach (var candidate in Strings.OrderBy(_ => random.Next()))
        {
            if (Fits(schema, JsonValue.Create(candidate))) return candidate;
        }
        return "x";
    }

    private static bool Fits(FieldSchema schema, JsonNode node)
    {
        var problems = new Problems();
        schema.Check(node, "x", problems);
        return problems.Errors.Count == 0;
    }
}
