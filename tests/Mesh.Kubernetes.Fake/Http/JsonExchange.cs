using System.Text.Json;
using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Errors;
using Microsoft.AspNetCore.Http;

namespace Mesh.Kubernetes.Fake.Http;

/// <summary>Bodies in and out: JSON only, as kubectl and KubernetesClient send it.</summary>
internal static class JsonExchange
{
    public static async Task<JsonNode> Read(HttpRequest request)
    {
        // kubectl's typed commands (create namespace, scale, ...) send protobuf; the fake speaks JSON only.
        if (request.ContentType?.StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal) == true)
        {
            throw ApiError.UnsupportedMediaType(request.ContentType, "application/json");
        }
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted)
                ?? throw ApiError.BadRequest("the request body is empty");
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"the request body is not JSON: {e.Message}");
        }
    }

    public static async Task<JsonObject> ReadObject(HttpRequest request) =>
        await Read(request) as JsonObject ?? throw ApiError.BadRequest("the request body is not a JSON object");

    public static async Task Write(HttpResponse response, int status, JsonNode body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(body.ToJsonString(), response.HttpContext.RequestAborted);
    }

    public static Task Write(HttpResponse response, ApiError error) => Write(response, error.Code, error.ToStatus());
}
