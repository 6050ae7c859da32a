using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mesh.Sidecar.Capture;

/// <summary>A captured connection's original destination, on the connection's features; absent when the connection
/// came to the sidecar's port itself (an application using it as an HTTP proxy, or another sidecar).</summary>
public sealed record CapturedConnection(IPEndPoint OriginalDestination);

public static class OriginalDestinationMiddleware
{
    /// <summary>Reads the original destination once per connection, before anything else reads from it.</summary>
    public static ListenOptions UseOriginalDestination(this ListenOptions listen)
    {
        listen.Use(next => connection =>
        {
            if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket
                && OriginalDestination.Of(socket) is { } original)
            {
                connection.Features.Set(new CapturedConnection(original));
            }
            return next(connection);
        });
        return listen;
    }
}
