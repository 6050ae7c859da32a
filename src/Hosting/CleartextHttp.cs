using System.Buffers;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Mesh.Hosting;

/// <summary>HTTP/1.1 and HTTP/2 cleartext (h2c with prior knowledge) on one port, as Envoy's listeners serve them.
/// Kestrel picks HTTP/2 on a cleartext port only when HTTP/1.1 is off, because it chooses by ALPN; here each
/// connection's first bytes choose instead: the HTTP/2 preface (<c>PRI * HTTP/2.0</c>) gets HTTP/2, anything
/// else HTTP/1.1.</summary>
public static class CleartextHttp
{
    private static readonly byte[] Preface = "PRI "u8.ToArray();

    // Kestrel drops HTTP/2 from a cleartext endpoint that also has HTTP/1.1 unless the endpoint is marked as TLS;
    // the flag only keeps both protocols, and no TLS is done. Checked at start-up so that a Kestrel without it
    // fails loudly instead of silently serving HTTP/1.1 only.
    private static readonly PropertyInfo IsTls = typeof(ListenOptions).GetProperty("IsTls", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("This Kestrel has no ListenOptions.IsTls: HTTP/1.1 and h2c cannot share a port");

    /// <summary>Serve HTTP/1.1 and h2c on this endpoint. Requires <see cref="KestrelServerOptions.AllowAlternateSchemes"/>
    /// (set by <see cref="AllowCleartextHttp2"/>), since an h2c request's <c>:scheme</c> is <c>http</c>.</summary>
    public static ListenOptions UseHttp1AndCleartextHttp2(this ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        IsTls.SetValue(listen, true);
        listen.Use(next => async connection =>
        {
            // A connection a TLS middleware before this one terminated already carries its ALPN result.
            if (connection.Features.Get<ITlsApplicationProtocolFeature>() is null && await StartsWithPreface(connection))
            {
                connection.Features.Set<ITlsConnectionFeature>(NoTls.Instance);
                connection.Features.Set<ITlsApplicationProtocolFeature>(NoTls.Instance);
            }
            await next(connection);
        });
        return listen;
    }

    /// <summary>Let h2c requests say <c>:scheme http</c> on endpoints set up by <see cref="UseHttp1AndCleartextHttp2"/>.</summary>
    public static KestrelServerOptions AllowCleartextHttp2(this KestrelServerOptions options)
    {
        options.AllowAlternateSchemes = true;
        return options;
    }

    /// <summary>Looks at the first four bytes without consuming them.</summary>
    private static async Task<bool> StartsWithPreface(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var read = await input.ReadAsync(connection.ConnectionClosed);
            var buffer = read.Buffer;
            if (buffer.Length >= Preface.Length || read.IsCompleted || read.IsCanceled)
            {
                var isPreface = buffer.Length >= Preface.Length && buffer.Slice(0, Preface.Length).ToArray().AsSpan().SequenceEqual(Preface);
                input.AdvanceTo(buffer.Start);
                return isPreface;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>What makes Kestrel choose HTTP/2 for a connection: "ALPN said h2". No certificate, no TLS.</summary>
    private sealed class NoTls : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public static readonly NoTls Instance = new();

        public X509Certificate2? ClientCertificate { get => null; set { } }

        public ReadOnlyMemory<byte> ApplicationProtocol { get; } = "h2"u8.ToArray();

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
