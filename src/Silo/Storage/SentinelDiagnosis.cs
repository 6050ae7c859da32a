using System.Net;
using StackExchange.Redis;

namespace Mesh.Silo.Storage;

/// <summary>Why a Sentinel connection failed, in words an operator can act on. StackExchange.Redis reports
/// "failed connecting to configured primary" alike for sentinels that are down, a service name they do not
/// monitor and a primary they name but that cannot be reached; this asks each sentinel itself.</summary>
public static class SentinelDiagnosis
{
    public static async Task<string> Explain(ConfigurationOptions options, string serviceName)
    {
        var unreachable = new List<string>();
        var monitored = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in options.EndPoints)
        {
            var name = EndPointCollection.ToString(endpoint);
            try
            {
                await using var sentinel = await ConnectionMultiplexer.SentinelConnectAsync(Probe(options, endpoint));
                var server = sentinel.GetServer(endpoint);
                if (!server.IsConnected)
                {
                    unreachable.Add(name);
                    continue;
                }
                if (await server.SentinelGetMasterAddressByNameAsync(serviceName) is { } primary)
                {
                    return $"Redis Sentinel {name} names {EndPointCollection.ToString(primary)} as the primary of '{serviceName}', "
                        + "but it could not be reached as a primary (is it up, and reachable from this silo at that address?)";
                }
                foreach (var master in await server.SentinelMastersAsync())
                {
                    monitored.UnionWith(master.Where(field => field.Key == "name").Select(field => field.Value));
                }
            }
            catch (RedisException exception)
            {
                unreachable.Add($"{name} ({exception.Message})");
            }
        }
        if (unreachable.Count == options.EndPoints.Count)
        {
            return $"none of the Redis sentinels in --redis answered: {string.Join(", ", unreachable)}";
        }
        var known = monitored.Count == 0 ? "none" : string.Join(", ", monitored.Select(m => $"'{m}'"));
        return $"the Redis sentinels know no service '{serviceName}' (serviceName= in --redis); they monitor: {known}";
    }

    private static ConfigurationOptions Probe(ConfigurationOptions options, EndPoint endpoint)
    {
        var probe = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            ConnectRetry = 1,
            CommandMap = CommandMap.Sentinel,
            TieBreaker = "",
            User = options.User,
            Password = options.Password,
            Ssl = options.Ssl,
        };
        probe.EndPoints.Add(endpoint);
        return probe;
    }
}
