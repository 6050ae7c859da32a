using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Admission;
using Mesh.Kubernetes.Fake.Errors;
using Mesh.Kubernetes.Fake.Patching;
using Mesh.Kubernetes.Fake.Resources;
using Mesh.Kubernetes.Fake.Storage;
using Microsoft.AspNetCore.Http;

namespace Mesh.Kubernetes.Fake.Http;

/// <summary>create, update, patch and delete of a resource or its <c>status</c> subresource: the server-owned
/// fields, the admission chain, then the store (which checks the resourceVersion).</summary>
internal sealed class ResourceWrites(ObjectStore store, AdmissionChain admission, ResourceTypes types)
{
    public async Task Create(HttpContext context, ApiPath path)
    {
        var type = path.Resource;
        if (path.Subresource is not null) throw ApiError.MethodNotAllowed("create", type);
        var obj = Identify(type, path, await JsonExchange.ReadObject(context.Request));
        var metadata = ObjectMeta.Of(obj);
        if (ObjectMeta.Name(obj).Length == 0)
        {
            if (metadata["generateName"]?.GetValue<string>() is not { Length: > 0 } prefix) throw ApiError.Invalid(type, "", "metadata.name", "Required value: name or generateName is required");
            metadata["name"] = prefix + Guid.NewGuid().ToString("N")[..5];
        }
        if (type.Namespaced && store.Get(ResourceTypes.Namespaces, "", path.Namespace!) is null) throw ApiError.NotFound(ResourceTypes.Namespaces, path.Namespace!);
        foreach (var owned in new[] { "uid", "resourceVersion", "generation", "creationTimestamp" }) metadata.Remove(owned);
        if (type.HasStatus) obj.Remove("status");
        if (type == ResourceTypes.Namespaces) obj["status"] = new JsonObject { ["phase"] = "Active" };
        obj = await admission.Admit(type, "", "CREATE", obj, null, context.RequestAborted);
        var created = store.Create(type, obj);
        if (type == ResourceTypes.CustomResourceDefinitions) types.Learn(created);
        await JsonExchange.Write(context.Response, 201, created);
    }

    public async Task Update(HttpContext context, ApiPath path)
    {
        var type = path.Resource;
        var obj = Identify(type, path, await JsonExchange.ReadObject(context.Request));
        var current = store.Get(type, path.Namespace ?? "", path.Name!) ?? throw ApiError.NotFound(type, path.Name!);
        obj = await admission.Admit(type, path.Subresource ?? "", "UPDATE", obj, current, context.RequestAborted);
        await JsonExchange.Write(context.Response, 200, store.Replace(type, obj, ObjectMeta.ResourceVersion(obj), Keep(path)));
    }

    /// <summary>A patch is applied to the current object and stored with its resourceVersion as the precondition;
    /// if another write came between, the patch is applied again to the newer object, as the real server retries.</summary>
    public async Task Patch(HttpContext context, ApiPath path)
    {
        var type = path.Resource;
        var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        Func<JsonNode?, JsonNode, JsonNode?> apply = contentType switch
        {
            "application/merge-patch+json" => MergePatch.Apply,
            "application/strategic-merge-patch+json" when !type.IsCustom => StrategicMergePatch.Apply,
            "application/json-patch+json" => (target, patch) => JsonPatch.Apply(target, patch as JsonArray ?? throw ApiError.BadRequest("a JSON patch is a list of operations")),
            _ => throw ApiError.UnsupportedMediaType(contentType, type.IsCustom ? "application/json-patch+json, application/merge-patch+json" : "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"),
        };
        var patch = await JsonExchange.Read(context.Request);
        for (var attempt = 0; ; attempt++)
        {
            var current = store.Get(type, path.Namespace ?? "", path.Name!) ?? throw ApiError.NotFound(type, path.Name!);
            var patched = apply(current.DeepClone(), patch) as JsonObject ?? throw ApiError.BadRequest("the patch does not leave an object");
            var precondition = ObjectMeta.ResourceVersion(patched);
            var obj = Identify(type, path, patched);
            obj = await admission.Admit(type, path.Subresource ?? "", "UPDATE", obj, current, context.RequestAborted);
            try
            {
                await JsonExchange.Write(context.Response, 200, store.Replace(type, obj, precondition, Keep(path)));
                return;
            }
            catch (ApiError e) when (e.Reason == "Conflict" && precondition == ObjectMeta.ResourceVersion(current) && attempt < 5)
            {
            }
        }
    }

    public async Task Delete(HttpContext context, ApiPath path)
    {
        var expected = "";
        if (context.Request.ContentLength > 0 && await JsonExchange.Read(context.Request) is JsonObject options)
        {
            expected = options["preconditions"]?["resourceVersion"]?.GetValue<string>() ?? "";
        }
        await JsonExchange.Write(context.Response, 200, store.Delete(path.Resource, path.Namespace ?? "", path.Name!, expected));
    }

    /// <summary>What the stored object keeps: its status on a main-resource write of a kind with a status
    /// subresource; everything but the status on a status write.</summary>
    private static Func<JsonObject, JsonObject, JsonObject> Keep(ApiPath path) => path.Subresource switch
    {
        "status" => (stored, written) => { stored["status"] = written["status"]?.DeepClone(); return stored; },
        null when path.Resource.HasStatus => (stored, written) => { written["status"] = stored["status"]?.DeepClone(); return written; },
        null => (_, written) => written,
        var other => throw ApiError.NotFound(path.Resource, $"{path.Name}/{other}"),
    };

    /// <summary>Fills and checks kind, apiVersion, name and namespace against the URL, as the real server does.</summary>
    private static JsonObject Identify(ResourceType type, ApiPath path, JsonObject obj)
    {
        if (obj["kind"]?.GetValue<string>() is { Length: > 0 } kind && kind != type.Kind) throw ApiError.BadRequest($"the kind of the object ({kind}) does not match the URL's ({type.Kind})");
        if (obj["apiVersion"]?.GetValue<string>() is { Length: > 0 } version && version != type.GroupVersion) throw ApiError.BadRequest($"the apiVersion of the object ({version}) does not match the URL's ({type.GroupVersion})");
        obj["kind"] = type.Kind;
        obj["apiVersion"] = type.GroupVersion;
        var metadata = ObjectMeta.Of(obj);
        var name = ObjectMeta.Name(obj);
        if (path.Name is not null && name != path.Name) throw ApiError.BadRequest($"the name of the object ({name}) does not match the name on the URL ({path.Name})");
        if (type.Namespaced)
        {
            var ns = ObjectMeta.Namespace(obj);
            if (ns.Length > 0 && ns != path.Namespace) throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            if (path.Namespace is null) throw ApiError.MethodNotAllowed("write", type);
            metadata["namespace"] = path.Namespace;
        }
        else metadata.Remove("namespace");
        return obj;
    }
}
