using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Config;
using Mesh.Xds.Resources;
using Resource = Envoy.Service.Discovery.V3.Resource;

namespace Mesh.Sidecar.Xds;

/// <summary>The resources of an xDS response as the typed Envoy messages the sidecar's config holds: each
/// <see cref="Any"/> checked against the response's type URL (a <c>Resource</c> wrapper unwrapped first, its name and
/// version kept) and parsed, or the reason it cannot be. A response is taken whole or not at all.</summary>
public static class ResourceDecoder
{

    /// <summary>A state-of-the-world response's resources, all at the response's <paramref name="version"/>.</summary>
    public static (IReadOnlyList<ReceivedResource> Resources, string? Error) Decode(string type, IEnumerable<Any> resources, string version)
    {
        var decoded = new List<ReceivedResource>();
        foreach (var any in resources)
        {
            var (resource, error) = Decode(type, any, version: version);
            if (resource is null) return ([], error);
            decoded.Add(resource);
        }
        return (decoded, null);
    }

    /// <summary>A delta response's resources, each with its own name and version; an error names the resource.</summary>
    public static (IReadOnlyList<ReceivedResource> Resources, string? Error) Decode(string type, IEnumerable<Resource> resources)
    {
        var decoded = new List<ReceivedResource>();
        foreach (var wrapped in resources)
        {
            var (resource, error) = Decode(type, wrapped.Resource_, wrapped.Name, wrapped.Version);
            if (resource is null) return ([], $"{wrapped.Name}: {error}");
            decoded.Add(resource);
        }
        return (decoded, null);
    }

    /// <summary>Decodes one resource of <paramref name="type"/> (unwrapping an xDS <c>Resource</c>), or says why not.</summary>
    public static (ReceivedResource? Resource, string? Error) Decode(string type, Any any, string? name = null, string? version = null)
    {
        try
        {
            if (any.TypeUrl == TypeUrls.Resource)
            {
                var wrapped = Resource.Parser.ParseFrom(any.Value);
                return Decode(type, wrapped.Resource_, wrapped.Name, wrapped.Version);
            }
            if (any.TypeUrl != type) return (null, $"a {type} response holds a {any.TypeUrl}");
            IMessage message = type switch
            {
                TypeUrls.Listener => Listener.Parser.ParseFrom(any.Value),
                TypeUrls.Route => RouteConfiguration.Parser.ParseFrom(any.Value),
                TypeUrls.Cluster => Cluster.Parser.ParseFrom(any.Value),
                TypeUrls.Endpoint => ClusterLoadAssignment.Parser.ParseFrom(any.Value),
                TypeUrls.Secret => Secret.Parser.ParseFrom(any.Value),
                _ => throw new InvalidOperationException($"type {type} is not consumed by mesh-sidecar"),
            };
            var resourceName = name ?? message switch
            {
                Listener l => l.Name,
                RouteConfiguration r => r.Name,
                Cluster c => c.Name,
                ClusterLoadAssignment e => e.ClusterName,
                Secret secret => secret.Name,
                _ => "",
            };
            return (new ReceivedResource(resourceName, version ?? "", message), null);
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or InvalidOperationException)
        {
            return (null, $"cannot decode a {TypeUrls.ShortName(type)} resource: {exception.Message}");
        }
    }
}
