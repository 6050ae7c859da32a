namespace Mesh.Grains.Proxies;

/// <summary>One connected proxy's latest status (in memory).</summary>
public sealed class ProxyGrain : Grain, IProxyGrain
{
    private static readonly TimeSpan RegisterEvery = TimeSpan.FromSeconds(30);
    private ProxyStatus? _status;
    private DateTimeOffset _registeredAt = DateTimeOffset.MinValue;

    public async Task Report(ProxyStatus status)
    {
        var newStream = _status is null || _status.Silo != status.Silo || _status.ConnectedAt != status.ConnectedAt;
        _status = status;
        // A new stream (a reconnect, often after a silo died, with the directory bucket it may have held) registers
        // at once; a steady one every 30 s.
        if (newStream || DateTimeOffset.UtcNow - _registeredAt > RegisterEvery)
        {
            // Re-registering now and then repairs a directory bucket that lost its memory with its silo.
            await Directory().Add(this.GetPrimaryKeyString());
            _registeredAt = DateTimeOffset.UtcNow;
        }
    }

    public async Task Disconnected(string silo, DateTimeOffset connectedAt)
    {
        if (_status is null || _status.Silo != silo || _status.ConnectedAt != connectedAt) return;
        _status = _status with { Connected = false, UpdatedAt = DateTimeOffset.UtcNow };
        await Directory().Remove(this.GetPrimaryKeyString());
        _registeredAt = DateTimeOffset.MinValue;
        DeactivateOnIdle();
    }

    public Task<ProxyStatus?> Get() => Task.FromResult(_status);

    private IProxyDirectoryGrain Directory() =>
        GrainFactory.GetGrain<IProxyDirectoryGrain>(ProxyDirectory.BucketOf(this.GetPrimaryKeyString()));
}
