namespace Mesh.Xds.Security;

/// <summary>Checks a Kubernetes service-account token (TokenReview): the silo provides one when it runs in a
/// cluster. Returns <c>(namespace, serviceAccount)</c>, or null when the token is not valid.</summary>
public interface IServiceAccountTokenReviewer
{
    Task<(string Namespace, string ServiceAccount)?> Review(string token, CancellationToken cancellationToken);
}
