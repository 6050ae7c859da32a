using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Mesh.Grains.Tests;

/// <summary>One in-process silo with Mesh's grains over memory storage (whose writes a test can make fail), shared by the grain tests.</summary>
public sealed class MeshCluster : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddGrainStorage("mesh", (services, _) => new FaultyStorage(services.GetRequiredService<IGrainStorageSerializer>()));
            // The silo's at-rest key (the CA's), which also encrypts gateway credentials.
            silo.Services.Configure<Mesh.Grains.Security.CertificateAuthorityOptions>(ca => ca.EncryptionKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            silo.Services.AddMeshGrains(configureReconcile: reconcile =>
            {
                reconcile.SweepInterval = TimeSpan.FromMilliseconds(200);
                reconcile.SweepDelay = TimeSpan.FromMilliseconds(200);
            });
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
