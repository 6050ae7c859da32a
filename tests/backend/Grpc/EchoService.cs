using Grpc.Core;
using Mesh.Test;

namespace Mesh.TestBackend.Grpc;

/// <summary><c>mesh.test.Echo</c>: every reply names this backend, so a test can count where each call went.</summary>
public sealed class EchoService(BackendOptions options) : Echo.EchoBase
{
    public override Task<EchoReply> Call(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(Reply(request.Payload));

    public override async Task Stream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        for (var i = 0; i < 3; i++)
        {
            await responseStream.WriteAsync(Reply($"{request.Payload}#{i}"), context.CancellationToken);
        }
    }

    public override async Task Chat(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(Reply(message.Payload), context.CancellationToken);
        }
    }

    private EchoReply Reply(string payload) => new() { Backend = options.Name, Payload = payload };
}
