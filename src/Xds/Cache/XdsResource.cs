using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Mesh.Xds.Cache;

/// <summary>One translated Envoy resource, serialized once: its name, content-hash version and payload.</summary>
public sealed record XdsResource(string TypeUrl, string Name, string Version, Any Payload, IMessage Message)
{
    /// <summary>Serializes once; the version is the <see cref="ContentHash"/> of the bytes.</summary>
    public static XdsResource Of(string typeUrl, string name, IMessage message)
    {
        var bytes = message.ToByteString();
        return new XdsResource(typeUrl, name, ContentHash.Of(bytes.Span), new Any { TypeUrl = typeUrl, Value = bytes }, message);
    }
}
