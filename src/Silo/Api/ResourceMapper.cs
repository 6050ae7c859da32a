using Mesh.Config.Kinds;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Mesh.Api.V1;
using Mesh.Grains.Config;

namespace Mesh.Silo.Api;

/// <summary>Stored config → the API's <see cref="ConfigResource"/>.</summary>
public static class ResourceMapper
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    public static ConfigResource ToApi(StoredConfig config)
    {
        var metadata = new ObjectMeta
        {
            Name = config.Name,
            Namespace = config.Namespace,
            ResourceVersion = config.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Generation = config.Generation,
            Uid = config.Uid,
            CreationTimestamp = Timestamp.FromDateTimeOffset(config.CreatedAt),
            UpdateTimestamp = Timestamp.FromDateTimeOffset(config.UpdatedAt),
        };
        metadata.Labels.Add(config.Labels);
        metadata.Annotations.Add(config.Annotations);
        return new ConfigResource
        {
            ApiVersion = config.ApiVersion,
            // The kind a manifest writes: the Gateway API's Gateway is stored as Gateway.gateway.networking.k8s.io.
            Kind = ResourceKinds.FromKindName(config.Kind)?.ManifestKind ?? config.Kind,
            Metadata = metadata,
            Spec = Parser.Parse<Struct>(config.SpecJson),
            Status = config.StatusJson is { } status ? Parser.Parse<Struct>(status) : null,
        };
    }
}
