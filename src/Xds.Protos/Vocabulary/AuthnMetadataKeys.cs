namespace Mesh.Xds.Resources;

/// <summary>Istio's authenticated-request metadata: the sidecar writes it under the <c>istio_authn</c> filter name after
/// validating a JWT, and the RBAC rules the translator writes read it.</summary>
public static class AuthnMetadataKeys
{
    public const string Filter = "istio_authn";
    public const string RequestPrincipal = "request.auth.principal";
    public const string Audiences = "request.auth.audiences";
    public const string Presenter = "request.auth.presenter";
    public const string Claims = "request.auth.claims";
}
