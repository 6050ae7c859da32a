using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Mesh.Config.Selection;
using Mesh.Kubernetes.Fake.Errors;
using Mesh.Kubernetes.Fake.Storage;
using Microsoft.AspNetCore.Http;

namespace Mesh.Kubernetes.Fake.Http;

/// <summary>get and list (with label and field selectors, <c>limit</c> and <c>continue</c>).</summary>
internal sealed class ResourceReads(ObjectStore store)
{
    public async Task Get(HttpContext context, ApiPath path)
    {
        var obj = store.Get(path.Resource, path.Namespace ?? "", path.Name!) ?? throw ApiError.NotFound(path.Resource, path.Name!);
        await JsonExchange.Write(context.Response, 200, obj);
    }

    public async Task List(HttpContext context, ApiPath path)
    {
        var query = context.Request.Query;
        var (items, version) = store.List(Filter(path, query));
        var after = Continue(query["continue"]);
        var remaining = items.Where(i => after is null || string.CompareOrdinal(Key(i), after) > 0).ToList();
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : int.MaxValue;
        var page = remaining.Take(limit).ToList();
        var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
        if (remaining.Count > page.Count)
        {
            metadata["continue"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Key(page[^1])));
            metadata["remainingItemCount"] = remaining.Count - page.Count;
        }
        var list = new JsonObject
        {
            ["kind"] = path.Resource.Kind + "List",
            ["apiVersion"] = path.Resource.GroupVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. page]),
        };
        await JsonExchange.Write(context.Response, 200, list);
    }

    /// <summary>The filter of a list or watch request; a selector that cannot be read is a 400 that says where.</summary>
    public static WatchFilter Filter(ApiPath path, IQueryCollection query)
    {
        try
        {
            return new WatchFilter(path.Resource, path.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
        }
        catch (SelectorException e)
        {
            throw ApiError.BadRequest($"unable to parse requirement: {e.Message}");
        }
    }

    private static string Key(JsonObject obj) => $"{ObjectMeta.Namespace(obj)}/{ObjectMeta.Name(obj)}";

    private static string? Continue(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(token)); }
        catch (FormatException) { throw ApiError.BadRequest($"continue key is not valid: \"{token}\""); }
    }
}
