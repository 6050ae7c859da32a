using System.Text.Json.Nodes;

namespace Mesh.Config.Views.VirtualServices;

/// <summary>Istio's <c>HTTPMatchRequest</c>. Maps (headers, query parameters) are sorted by name. A field left out is
/// null: for <see cref="Method"/>, <see cref="Authority"/> and <see cref="Scheme"/> an empty match still means
/// "present", and an empty <see cref="Gateways"/> list is not the same as none.</summary>
public sealed record HttpMatchRequest
{
    public string? Name { get; init; }
    public StringMatch? Uri { get; init; }
    public StringMatch? Scheme { get; init; }
    public StringMatch? Method { get; init; }
    public StringMatch? Authority { get; init; }
    public IReadOnlyDictionary<string, StringMatch> Headers { get; init; } = new Dictionary<string, StringMatch>();
    public IReadOnlyDictionary<string, StringMatch> WithoutHeaders { get; init; } = new Dictionary<string, StringMatch>();
    public IReadOnlyDictionary<string, StringMatch> QueryParams { get; init; } = new Dictionary<string, StringMatch>();
    public int? Port { get; init; }
    public bool IgnoreUriCase { get; init; }
    public IReadOnlyList<string>? Gateways { get; init; }
    public IReadOnlyDictionary<string, string>? SourceLabels { get; init; }
    public string? SourceNamespace { get; init; }

    /// <summary>Whether the match names its callers (labels or namespace).</summary>
    public bool NamesSource => SourceLabels is not null || SourceNamespace is not null;

    internal static HttpMatchRequest From(JsonObject match) => new()
    {
        Name = match.Str("name"),
        Uri = Optional(match, "uri"),
        Scheme = Optional(match, "scheme"),
        Method = Optional(match, "method"),
        Authority = Optional(match, "authority"),
        Headers = match.Map("headers", StringMatch.From),
        WithoutHeaders = match.Map("withoutHeaders", StringMatch.From),
        QueryParams = match.Map("queryParams", StringMatch.From),
        Port = (int?)match.Long("port"),
        IgnoreUriCase = match.Bool("ignoreUriCase") ?? false,
        Gateways = match.StringsOrNull("gateways"),
        SourceLabels = match.Has("sourceLabels") ? match.StringMap("sourceLabels") : null,
        SourceNamespace = match.Str("sourceNamespace"),
    };

    private static StringMatch? Optional(JsonObject match, string field) => match.Obj(field) is { } value ? StringMatch.From(value) : null;
}
