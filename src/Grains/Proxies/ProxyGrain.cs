namespace Mesh.Grains.Proxies;

/// <summary>One connected proxy's latest status (in memory).</summary>
public sealed class ProxyGrain : Grain, IProxyGrain
{
    private static readonly TimeSpan RegisterEvery = TimeSpan.FromSeconds(30);
    /// <summary>A bucket on a silo that has just died can hold a call for Orleans' whole response timeout (30 s), and
    /// this grain's every call behind it (proxy-status reads included): given up after this; the stream reports again.</summary>
    private static readonly TimeSpan DirectoryTimeout = TimeSpan.FromSeconds(5);
    private ProxyStatus? _status;
    private DateTimeOffset _registeredAt = DateTimeOffset.MinValue;
    private (string Silo, DateTimeOffset ConnectedAt) _registeredFor;

    public async Task Report(ProxyStatus status)
    {
        // A stream that ended after a newer one opened (its final report races the new stream's first) must not
        // overwrite the newer one's status, nor then disconnect it.
        if (_status is not null && status.ConnectedAt < _status.ConnectedAt && _status.Connected) return;
        // A report the stream gave up waiting for (and sent again) may arrive after the newer one.
        if (_status is not null && status.ConnectedAt == _status.ConnectedAt && status.Silo == _status.Silo && status.UpdatedAt < _status.UpdatedAt) return;
        var answered = !SameAnswers(_status, status);
        _status = status;
        if (answered) Feed().Publish(status.NodeId).Ignore();
        // A stream not yet registered (a reconnect, often after a silo died with the directory bucket it may have
        // held) registers at once, and again on its next report if that failed; a steady one every 30 s, which
        // also repairs a bucket that lost its memory with its silo.
        var stream = (status.Silo, status.ConnectedAt);
        if (stream != _registeredFor || DateTimeOffset.UtcNow - _registeredAt > RegisterEvery)
        {
            await Directory().Add(this.GetPrimaryKeyString()).WaitAsync(DirectoryTimeout);
            _registeredAt = DateTimeOffset.UtcNow;
            _registeredFor = stream;
        }
    }

    public async Task Disconnected(string silo, DateTimeOffset connectedAt)
    {
        if (_status is null || _status.Silo != silo || _status.ConnectedAt != connectedAt) return;
        _status = _status with { Connected = false, UpdatedAt = DateTimeOffset.UtcNow };
        Feed().Publish(_status.NodeId).Ignore();
        await Directory().Remove(this.GetPrimaryKeyString()).WaitAsync(DirectoryTimeout);
        _registeredAt = DateTimeOffset.MinValue;
        _registeredFor = default;
        DeactivateOnIdle();
    }

    public Task<ProxyStatus?> Get() => Task.FromResult(_status);

    /// <summary>Whether the two say the same about what the proxy was sent and how it answered: a heartbeat, or a
    /// subscription that changed nothing sent, is not worth telling the feed.</summary>
    private static bool SameAnswers(ProxyStatus? was, ProxyStatus now) =>
        was is not null && was.Connected == now.Connected && was.Types.Count == now.Types.Count
        && was.Types.Zip(now.Types).All(p => p.First.TypeUrl == p.Second.TypeUrl && p.First.SentNonce == p.Second.SentNonce
            && p.First.AckedNonce == p.Second.AckedNonce && p.First.NackedNonce == p.Second.NackedNonce);

    private IProxyFeedGrain Feed() => GrainFactory.GetGrain<IProxyFeedGrain>(ProxyDirectory.FeedKey(this.GetPrimaryKeyString()));

    private IProxyDirectoryGrain Directory() =>
        GrainFactory.GetGrain<IProxyDirectoryGrain>(ProxyDirectory.BucketOf(this.GetPrimaryKeyString()));
}
