using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Mesh.Silo.Storage;

/// <summary>Registers grain state on Redis: Orleans' own provider, and when writes must reach replicas, a
/// <see cref="ReplicatedGrainStorage"/> in front of it on the same connection.</summary>
public static class RedisStorageExtensions
{
    public static ISiloBuilder AddMeshRedisGrainStorage(this ISiloBuilder builder, string name, RedisStore store, ReplicaAcks acks)
    {
        if (acks.Replicas <= 0)
        {
            return builder.AddRedisGrainStorage(name, storage =>
            {
                storage.ConfigurationOptions = store.Options();
                storage.CreateMultiplexer = _ => store.ConnectOwned();
            });
        }
        var primary = $"{name}-primary";
        var connection = new ReplicatedConnection(store);
        builder.Services.AddSingleton(connection);
        builder.AddRedisGrainStorage(primary, storage =>
        {
            storage.ConfigurationOptions = store.Options();
            storage.CreateMultiplexer = async _ => (await connection.Multiplexer, true);
        });
        builder.Services.AddGrainStorage(name, (services, _) => new ReplicatedGrainStorage(
            services.GetRequiredKeyedService<IGrainStorage>(primary),
            connection,
            acks,
            services.GetRequiredService<ILogger<ReplicatedGrainStorage>>()));
        return builder;
    }
}
