using StackExchange.Redis;

namespace Mesh.Silo.Storage;

/// <summary>The Redis a cluster shares, as <c>--redis</c> names it: one server (<c>host:port</c>) or, with
/// <c>serviceName=NAME</c>, the sentinels that know which server is the primary of NAME. StackExchange.Redis then
/// asks the sentinels for the primary and follows it when they promote a replica (on their <c>+switch-master</c>
/// message, and by asking again every second while the connection is down).</summary>
public sealed class RedisStore
{
    private readonly ConfigurationOptions _options;

    public RedisStore(string configuration)
    {
        try
        {
            _options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException($"--redis '{configuration}' is not a Redis configuration: {exception.Message}", exception);
        }
        if (_options.EndPoints.Count == 0)
        {
            throw new InvalidOperationException($"--redis '{configuration}' names no server: pass HOST:PORT, or SENTINEL:PORT,...,serviceName=NAME");
        }
        // Start without Redis and connect when it comes (the orchestrator also waits for it); a silo that cannot
        // reach the membership table still exits at once.
        _options.AbortOnConnectFail = false;
    }

    /// <summary>The Sentinel service name, or null for a single server.</summary>
    public string? ServiceName => string.IsNullOrEmpty(_options.ServiceName) ? null : _options.ServiceName;

    public bool UsesSentinels => ServiceName is not null;

    /// <summary>A copy for one provider: StackExchange.Redis rewrites the endpoints of a Sentinel configuration
    /// (sentinels → primary and replicas), so no two connections may share one.</summary>
    public ConfigurationOptions Options() => _options.Clone();

    /// <summary>Connects one provider; through sentinels, a failure says which of them answered and what they know.</summary>
    public async Task<IConnectionMultiplexer> Connect()
    {
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(Options());
        }
        catch (RedisConnectionException exception) when (UsesSentinels)
        {
            throw new InvalidOperationException(await SentinelDiagnosis.Explain(_options, ServiceName!), exception);
        }
    }

    /// <summary>A connection the Orleans provider owns (and disposes).</summary>
    public async Task<(IConnectionMultiplexer Multiplexer, bool IsShared)> ConnectOwned() => (await Connect(), false);
}
