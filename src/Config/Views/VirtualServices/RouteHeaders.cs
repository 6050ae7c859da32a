using System.Text.Json.Nodes;

namespace Mesh.Config.Views.VirtualServices;

/// <summary>Istio's <c>Headers</c>: the edits to a request before it is forwarded and to its response.</summary>
public sealed record RouteHeaders(HeaderOperations Request, HeaderOperations Response)
{
    public static RouteHeaders None { get; } = new(HeaderOperations.None, HeaderOperations.None);

    internal static RouteHeaders From(JsonObject? headers)
        => headers is null ? None : new(HeaderOperations.From(headers.Obj("request")), HeaderOperations.From(headers.Obj("response")));
}

/// <summary>Istio's <c>HeaderOperations</c>: set overwrites, add appends, remove drops. Set and add are sorted by name.</summary>
public sealed record HeaderOperations(IReadOnlyDictionary<string, string> Set, IReadOnlyDictionary<string, string> Add, IReadOnlyList<string> Remove)
{
    public static HeaderOperations None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>(), []);

    internal static HeaderOperations From(JsonObject? operations)
        => operations is null ? None : new(operations.StringMap("set"), operations.StringMap("add"), operations.Strings("remove"));
}
