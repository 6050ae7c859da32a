namespace Mesh.Xds.Resources;

/// <summary>A workload identity, <c>spiffe://TRUST-DOMAIN/ns/NAMESPACE/sa/SERVICE-ACCOUNT</c>: what the control plane
/// certifies and what sidecars check in each other's certificates.</summary>
public sealed record SpiffeId(string TrustDomain, string Namespace, string ServiceAccount)
{
    private const string Scheme = "spiffe://";

    public override string ToString() => $"{Scheme}{TrustDomain}/ns/{Namespace}/sa/{ServiceAccount}";

    /// <summary>Istio's principal form (no scheme): <c>cluster.local/ns/x/sa/y</c>.</summary>
    public string Principal => $"{TrustDomain}/ns/{Namespace}/sa/{ServiceAccount}";

    public static bool TryParse(string? uri, out SpiffeId id)
    {
        id = new SpiffeId("", "", "");
        if (uri is null || !uri.StartsWith(Scheme, StringComparison.Ordinal)) return false;
        var parts = uri[Scheme.Length..].Split('/');
        if (parts.Length != 5 || parts[1] != "ns" || parts[3] != "sa" || parts.Any(p => p.Length == 0)) return false;
        id = new SpiffeId(parts[0], parts[2], parts[4]);
        return true;
    }

    /// <summary>The SPIFFE id in a certificate's subject alternative names, if it has exactly one.</summary>
    public static SpiffeId? Of(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        SpiffeId? found = null;
        foreach (var extension in certificate.Extensions)
        {
            if (extension is not System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension names) continue;
            foreach (var uri in UriNames(names))
            {
                if (!TryParse(uri, out var id)) continue;
                if (found is not null) return null;
                found = id;
            }
        }
        return found;
    }

    /// <summary>URI names of a SAN extension (the BCL enumerates only DNS names and IP addresses).</summary>
    public static IEnumerable<string> UriNames(System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension extension)
    {
        var reader = new System.Formats.Asn1.AsnReader(extension.RawData, System.Formats.Asn1.AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        var uriTag = new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 6);
        var uris = new List<string>();
        while (sequence.HasData)
        {
            var tag = sequence.PeekTag();
            if (tag == uriTag) uris.Add(sequence.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, uriTag));
            else sequence.ReadEncodedValue();
        }
        return uris;
    }
}
