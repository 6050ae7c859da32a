using Orleans.TestingHost;

namespace Mesh.Grains.Tests;

/// <summary>One in-process silo with Mesh's grains over memory storage, shared by the grain tests.</summary>
public sealed class MeshCluster : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("mesh");
            silo.Services.AddMeshGrains();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class MeshClusterCollection : ICollectionFixture<MeshCluster>
{
    public const string Name = "mesh cluster";
}
