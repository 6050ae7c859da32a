using Mesh.Kubernetes.Crds;

namespace Mesh.Kubernetes.Tests.Crds;

/// <summary>The checked-in CRDs are what the generator makes from today's schema.</summary>
public sealed class CrdManifestTests
{
    [Theory]
    [InlineData("deploy/k8s/crds.yaml")]
    [InlineData("deploy/helm/mesh/crds/crds.yaml")]
    public void CheckedInCrds_AreTheGeneratorsOutput(string file)
    {
        var checkedIn = File.ReadAllText(Repository.PathOf(file));
        Assert.True(checkedIn == CustomResourceDefinitions.Yaml(),
            $"{file} differs from the CRDs generated from Mesh's schema; regenerate it from the repository root with: "
            + CustomResourceDefinitions.RegenerateCommand);
    }
}
