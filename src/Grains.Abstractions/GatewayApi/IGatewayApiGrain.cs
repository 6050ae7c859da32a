using Mesh.Grains.Config;

namespace Mesh.Grains.GatewayApi;

/// <summary>The Gateway API resources of the mesh (GatewayClasses, Gateways, HTTPRoutes, GRPCRoutes, ReferenceGrants:
/// few, and read together), converted as a whole into the gateway grains and directory entries of Mesh's Gateways,
/// with each resource's status written back to its config grain. One grain (<see cref="Key"/>): the conversion needs
/// every route, grant and class at once, and it changes only when one of those does, never per push.</summary>
[Alias("mesh.IGatewayApiGrain")]
public interface IGatewayApiGrain : IGrainWithStringKey
{
    public const string Key = "gateway-api";

    /// <summary>The stored version of a Gateway API resource (null once deleted); returns once the gateways it
    /// configures hold the converted result. Idempotent, so the outbox may replay it.</summary>
    [Alias("Set")] Task Set(string key, StoredConfig? config);

    /// <summary>A ServiceEntry of <paramref name="namespace"/> was written or deleted and its service grains hold the
    /// result: a route's backend there may have appeared or gone. Returns once the conversion saw it (at once when no
    /// route sends into the namespace). Idempotent, so the outbox may replay it.</summary>
    [Alias("ServicesChanged")] Task ServicesChanged(string @namespace);

    /// <summary>A credential of <paramref name="namespace"/> was stored or deleted: a Gateway's certificate reference
    /// there may have resolved or broken. Returns once the conversion saw it.</summary>
    [Alias("SecretsChanged")] Task SecretsChanged(string @namespace);
}
