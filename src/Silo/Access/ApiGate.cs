using System.Buffers;
using System.Buffers.Binary;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Mesh.Silo.Api;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Mesh.Silo.Access;

/// <summary>The management API's front door, on both its ports: admits a call (<see cref="ApiAdmission"/>) from its
/// headers alone and refuses it (401/UNAUTHENTICATED, 403/PERMISSION_DENIED) without reading its body; then bounds
/// the body to what the method needs (<see cref="ApiBodyLimits"/>) and refuses a larger one by its declared size
/// (413 on HTTP/JSON, RESOURCE_EXHAUSTED on gRPC) before gRPC or JSON transcoding reads it. Kestrel enforces the same
/// limit on whatever a client sends beyond what it declared. A JSON body must be UTF-8 (415 otherwise). Runs after routing, so it knows the method.</summary>
public sealed class ApiGate(RequestDelegate next, ApiAdmission admission)
{
    /// <summary>gRPC's message prefix: a compressed flag and a 4-byte big-endian length.</summary>
    private const int GrpcPrefix = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName is not { } method || !ApiAdmission.Guards(method))
        {
            await next(context);
            return;
        }
        var json = endpoint.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null;
        try
        {
            context.SetCaller(admission.Admit(method, context.Request.Headers.Authorization));
        }
        catch (RpcException refused)
        {
            await ApiRefusal.Write(context, json, refused.Status);
            return;
        }

        if (json && NotUtf8(context.Request.ContentType) is { } charset)
        {
            await ApiRefusal.Write(context, json, new Status(StatusCode.InvalidArgument,
                $"the body must be JSON in UTF-8, not charset \"{charset}\"; send content-type application/json"), StatusCodes.Status415UnsupportedMediaType);
            return;
        }
        var limit = ApiBodyLimits.For(method, json);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = json ? limit : limit + GrpcPrefix;
        }
        var declared = json ? context.Request.ContentLength : await GrpcMessageLength(context.Request);
        if (declared > limit)
        {
            await ApiRefusal.Write(context, json, new Status(StatusCode.ResourceExhausted, ApiBodyLimits.TooLarge(method, limit, declared.Value)));
            return;
        }
        await next(context);
    }

    /// <summary>The charset a JSON body declares when it is not UTF-8, which JSON must be (RFC 8259, 8.1).</summary>
    private static string? NotUtf8(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) && type.Charset is { HasValue: true } charset
            && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            ? charset.Value
            : null;

    /// <summary>The length the first gRPC message declares, looked at without consuming it (the handler reads it
    /// next); null when the body ends before a prefix.</summary>
    private static async Task<long?> GrpcMessageLength(HttpRequest request)
    {
        var read = await request.BodyReader.ReadAtLeastAsync(GrpcPrefix, request.HttpContext.RequestAborted);
        var buffer = read.Buffer;
        var length = Length(buffer);
        request.BodyReader.AdvanceTo(buffer.Start);
        return length;
    }

    private static long? Length(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < GrpcPrefix) return null;
        Span<byte> prefix = stackalloc byte[GrpcPrefix];
        buffer.Slice(0, GrpcPrefix).CopyTo(prefix);
        return BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
    }
}
