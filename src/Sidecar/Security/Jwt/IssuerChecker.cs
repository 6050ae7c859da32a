namespace Mesh.Sidecar.Security.Jwt;

/// <summary>The issuers whose providers name one token location: a token found there from another issuer is
/// "Jwt issuer is not configured". A provider without an issuer admits every issuer.</summary>
internal sealed class IssuerChecker
{
    private readonly HashSet<string> _issuers = new(StringComparer.Ordinal);
    private bool _any;

    public void Add(string issuer)
    {
        if (issuer.Length == 0) _any = true;
        else _issuers.Add(issuer);
    }

    public bool Allows(string issuer) => _any || _issuers.Contains(issuer);
}
