using System.Buffers.Binary;
using System.Text;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Silo.Access;
using Mesh.Silo.Api;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mesh.Silo.Tests.Access;

/// <summary>The gate decides from headers alone: a refused call is answered without its body being read.</summary>
public sealed class ApiGateTests
{
    private static readonly ApiUser Carol = new("carol", ApiRole.Viewer, []);
    private static readonly ApiAdmission Admission = new(new ApiUsers([(ApiUsers.Hash("carol-token"), Carol)]));

    [Theory]
    [InlineData(true, null, StatusCodes.Status401Unauthorized)]
    [InlineData(true, "Bearer guess", StatusCodes.Status401Unauthorized)]
    [InlineData(false, null, StatusCodes.Status200OK)]
    public async Task Unauthenticated_RefusedWithoutReadingTheBody(bool json, string? authorization, int httpStatus)
    {
        var (context, reached) = await Pass("Apply", json, new UnreadableBody(), authorization);

        Assert.False(reached);
        Assert.Equal(httpStatus, context.Response.StatusCode);
        Assert.Equal(json ? null : "16", (string?)context.Response.Headers["grpc-status"]);
        Assert.Equal(json ? "Bearer" : null, (string?)context.Response.Headers.WWWAuthenticate);
        Assert.Contains("bearer token", json ? Body(context) : Uri.UnescapeDataString(context.Response.Headers["grpc-message"]!));
    }

    [Fact]
    public async Task RoleDoesNotReachTheMethod_ForbiddenWithoutReadingTheBody()
    {
        var (context, reached) = await Pass("CreateToken", json: true, new UnreadableBody(), "Bearer carol-token", service: "SecurityService");

        Assert.False(reached);
        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Contains("needs the admin role", Body(context));
    }

    [Fact]
    public async Task Json_DeclaredLengthOverTheMethodsLimit_413NamingTheLimit()
    {
        var (context, reached) = await Pass("Get", json: true, new UnreadableBody(), "Bearer carol-token", contentLength: ApiBodyLimits.Small + 1);

        Assert.False(reached);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, context.Response.StatusCode);
        Assert.Contains($"larger than the limit of {ApiBodyLimits.Small} bytes for mesh.v1.ConfigService/Get", Body(context));
    }

    [Fact]
    public async Task Grpc_MessageOverTheApplyLimit_ResourceExhaustedNamingTheManifestLimit()
    {
        var (context, reached) = await Pass("Apply", json: false, new MemoryStream(Framed(ApiBodyLimits.ManifestOverGrpc + 1)), "Bearer carol-token");

        Assert.False(reached);
        Assert.Equal("8", (string?)context.Response.Headers["grpc-status"]);
        Assert.Contains("a manifest may be at most 8388608 bytes", Uri.UnescapeDataString(context.Response.Headers["grpc-message"]!));
    }

    [Theory]
    [InlineData("Apply", false, 8 * 1024 * 1024 + 64 * 1024 + 5)]
    [InlineData("Apply", true, 16 * 1024 * 1024 + 64 * 1024)]
    [InlineData("List", false, 64 * 1024 + 5)]
    [InlineData("List", true, 64 * 1024)]
    public async Task Admitted_CallerLeftForTheHandler_BodyBoundedPerMethod_PrefixLeftUnread(string method, bool json, long limit)
    {
        var framed = Framed(10);
        var (context, reached) = await Pass(method, json, new MemoryStream(framed), "Bearer carol-token");

        Assert.True(reached);
        Assert.Same(Carol, context.AdmittedCaller());
        Assert.Equal(limit, context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize);
        var rest = await context.Request.BodyReader.ReadAtLeastAsync(framed.Length);
        Assert.Equal(framed, System.Buffers.BuffersExtensions.ToArray(rest.Buffer));
    }

    [Fact]
    public async Task NotAGuardedMethod_PassesUntouched()
    {
        var context = new DefaultHttpContext();
        var reached = false;
        await new ApiGate(_ => { reached = true; return Task.CompletedTask; }, Admission).InvokeAsync(context);

        Assert.True(reached);
    }

    private static async Task<(HttpContext Context, bool Reached)> Pass(string method, bool json, Stream body, string? authorization,
        long? contentLength = null, string service = "ConfigService")
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(new BodySize());
        context.Request.Body = body;
        context.Request.ContentLength = contentLength;
        context.Response.Body = new MemoryStream();
        if (authorization is not null) context.Request.Headers.Authorization = authorization;
        var grpcMethod = new Method<string, string>(MethodType.Unary, $"mesh.v1.{service}", method, Marshallers.StringMarshaller, Marshallers.StringMarshaller);
        var metadata = new List<object> { new GrpcMethodMetadata(typeof(object), grpcMethod) };
        if (json)
        {
            var descriptor = ConfigReflection.Descriptor.Services.Concat(SecurityReflection.Descriptor.Services)
                .Single(s => s.Name == service).FindMethodByName(method);
            metadata.Add(new GrpcJsonTranscodingMetadata(descriptor, new Google.Api.HttpRule()));
        }
        context.SetEndpoint(new Microsoft.AspNetCore.Http.Endpoint(null, new EndpointMetadataCollection(metadata), method));
        var reached = false;
        await new ApiGate(_ => { reached = true; return Task.CompletedTask; }, Admission).InvokeAsync(context);
        return (context, reached);
    }

    private static byte[] Framed(long declared)
    {
        var frame = new byte[5 + 10];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)declared);
        return frame;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private sealed class BodySize : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;
        public long? MaxRequestBodySize { get; set; } = ApiBodyLimits.Small;
    }

    /// <summary>A request body that fails the test if anything reads it.</summary>
    private sealed class UnreadableBody : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("the body was read");
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new InvalidOperationException("the body was read");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
