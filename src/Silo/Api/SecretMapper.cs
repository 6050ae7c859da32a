using Google.Protobuf.WellKnownTypes;
using Mesh.Grains.Secrets;

namespace Mesh.Silo.Api;

/// <summary>A credential's info as the API shows it: there is no field for key material to go into.</summary>
public static class SecretMapper
{
    public static Mesh.Api.V1.Secret ToApi(SecretInfo info)
    {
        var secret = new Mesh.Api.V1.Secret
        {
            Namespace = info.Namespace,
            Name = info.Name,
            Type = info.Type,
            Subject = info.Subject,
            NotBefore = Timestamp.FromDateTimeOffset(info.NotBefore),
            NotAfter = Timestamp.FromDateTimeOffset(info.NotAfter),
            Sha256Fingerprint = info.Sha256Fingerprint,
            CaCertificates = info.CaCertificates,
            Created = Timestamp.FromDateTimeOffset(info.Created),
            Updated = Timestamp.FromDateTimeOffset(info.Updated),
            Version = info.Version,
        };
        secret.Keys.Add(info.Keys);
        secret.DnsNames.Add(info.DnsNames);
        secret.IpAddresses.Add(info.IpAddresses);
        return secret;
    }
}
