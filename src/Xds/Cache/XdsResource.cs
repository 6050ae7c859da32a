using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Mesh.Xds.Cache;

/// <summary>One translated Envoy resource, serialized once: its name, content-hash version and payload.</summary>
public sealed record XdsResource(string TypeUrl, string Name, string Version, Any Payload, IMessage Message)
{
    /// <summary>The version is a hash of the serialized bytes: the same on every silo for the same content, so a
    /// proxy that reconnects elsewhere is not sent what it already has.</summary>
    public static XdsResource Of(string typeUrl, string name, IMessage message)
    {
        var bytes = message.ToByteString();
        var hash = System.Security.Cryptography.SHA256.HashData(bytes.Span);
        return new XdsResource(typeUrl, name, Convert.ToHexStringLower(hash.AsSpan(0, 8)), new Any { TypeUrl = typeUrl, Value = bytes }, message);
    }
}
