using Orleans.Runtime;

namespace Mesh.Silo.Monitoring;

/// <summary>Whether this silo has joined its cluster (is Active in the membership table).</summary>
public sealed class SiloReadiness(IClusterMembershipService membership, ILocalSiloDetails silo)
{
    public bool IsReady
    {
        get
        {
            try
            {
                return membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) == SiloStatus.Active;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }
}
