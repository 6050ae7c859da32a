namespace Mesh.Xds.Resources;

/// <summary>SDS secret names, as Istio names them: the workload's chain and key, and the trust bundle.</summary>
public static class SecretNames
{
    public const string Default = "default";
    public const string RootCa = "ROOTCA";
}
