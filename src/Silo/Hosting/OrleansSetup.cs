using System.Net;
using System.Net.Sockets;
using k8s;
using Mesh.Grains.Config;
using Mesh.Silo.Storage;
using Orleans.Configuration;

namespace Mesh.Silo.Hosting;

/// <summary>Configures the Orleans silo for the chosen store: embedded SQLite on localhost clustering, or a
/// Redis-backed cluster (clustering, grain state, reminders).</summary>
public static class OrleansSetup
{
    public static void Configure(ISiloBuilder silo, MeshOptions options)
    {
        if (options.UsesRedis)
        {
            ConfigureRedis(silo, options);
        }
        else
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            silo.AddSqliteGrainStorage(StorageNames.Mesh, sqlite => sqlite.DataDir = options.DataDir);
            silo.UseInMemoryReminderService();
        }

        silo.Configure<ClusterMembershipOptions>(options.Membership.Apply);
        silo.Configure<GrainCollectionOptions>(collection => collection.CollectionAge = TimeSpan.FromMinutes(30));
        // Grain calls carry the caller's trace: an apply's trace reaches the service grain, and xDS pushes link to it.
        silo.AddActivityPropagation();
    }

    private static void ConfigureRedis(ISiloBuilder silo, MeshOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            throw new InvalidOperationException("--store redis needs a Redis address: pass --redis HOST:PORT (or SENTINEL:PORT,...,serviceName=NAME) or set Mesh__Redis.");
        }
        var redis = new RedisStore(options.Redis);
        // Each provider its own connection; all of them follow the primary the sentinels name.
        silo.UseRedisClustering(clustering =>
        {
            clustering.ConfigurationOptions = redis.Options();
            clustering.CreateMultiplexer = _ => redis.ConnectOwned();
        });
        silo.AddMeshRedisGrainStorage(StorageNames.Mesh, redis, new ReplicaAcks(options.ReplicaAcksFor(redis), options.RedisReplicaAckTimeout));
        silo.UseRedisReminderService(reminders =>
        {
            reminders.ConfigurationOptions = redis.Options();
            reminders.CreateMultiplexer = _ => redis.ConnectOwned();
        });

        if (RunsInKubernetes())
        {
            // Orleans' Kubernetes hosting reads pod name, namespace, IP and the cluster ids from the pod itself.
            silo.UseKubernetesHosting();
            return;
        }
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.SiloPort = options.SiloPort;
            endpoints.GatewayPort = options.GatewayPort;
            endpoints.AdvertisedIPAddress = AdvertisedAddress(options);
            endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, options.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, options.GatewayPort);
        });
    }

    /// <summary>Outside a cluster <c>UseKubernetesHosting</c> stops the process, so it is used only when the pod
    /// environment is really there.</summary>
    private static bool RunsInKubernetes() =>
        KubernetesClientConfiguration.IsInCluster()
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("POD_NAME"))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("POD_NAMESPACE"));

    private static IPAddress AdvertisedAddress(MeshOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.AdvertisedAddress))
        {
            return IPAddress.TryParse(options.AdvertisedAddress, out var parsed)
                ? ListenAddress.Unmap(parsed)
                : Dns.GetHostAddresses(options.AdvertisedAddress).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        }
        return IPAddress.Loopback;
    }
}
