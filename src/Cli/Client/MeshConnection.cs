using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Api.Client;
using Mesh.Api.V1;

namespace Mesh.Cli.Client;

/// <summary>A connection to a Mesh server's management API, with the bearer token on every call.</summary>
public sealed class MeshConnection : IDisposable
{
    public const string DefaultServer = "http://127.0.0.1:15020";

    private readonly GrpcChannel _channel;
    private readonly string? _token;

    public MeshConnection(string server, string? token)
    {
        Server = server;
        _token = token;
        // A call cut in transport is sent again where that is harmless (ApiRetry).
        // A list with --chunk-size 0 comes back as one message: 10,000 resources are several MB.
        _channel = GrpcChannel.ForAddress(server, new GrpcChannelOptions { ServiceConfig = ApiRetry.ServiceConfig, MaxSendMessageSize = 16 * 1024 * 1024, MaxReceiveMessageSize = 256 * 1024 * 1024 });
        Api = new ConfigService.ConfigServiceClient(_channel);
        Security = new SecurityService.SecurityServiceClient(_channel);
        Audit = new AuditService.AuditServiceClient(_channel);
        Secrets = new SecretService.SecretServiceClient(_channel);
    }

    /// <summary>Gateway credentials.</summary>
    public SecretService.SecretServiceClient Secrets { get; }

    /// <summary>The certificate authority: tokens, roots, issued certificates.</summary>
    public SecurityService.SecurityServiceClient Security { get; }

    public string Server { get; }

    public ConfigService.ConfigServiceClient Api { get; }

    public AuditService.AuditServiceClient Audit { get; }

    public CallOptions Call(CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(_token)) headers.Add("authorization", $"Bearer {_token}");
        return new CallOptions(headers, timeout is null ? null : DateTime.UtcNow + timeout, cancellationToken);
    }

    public void Dispose() => _channel.Dispose();
}
