using Mesh.Grains.Directories;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;

namespace Mesh.Xds.Cache;

/// <summary>This silo's copy of one directory grain (<see cref="IDirectoryGrain{TEntry}"/>), read on first use and
/// kept by one grain subscription whatever the number of proxies; a directory that forgot the subscription is re-read.
/// Each directory has a thin typed source naming its grain.</summary>
public abstract partial class DirectorySource<TGrain, TEntry> : IDirectoryObserver<TEntry>, IAsyncDisposable
    where TGrain : IDirectoryGrain<TEntry>
{
    private readonly IGrainFactory _grains;
    private readonly string _key;
    private readonly ILogger _logger;
    private readonly ObserverSubscriptions<TGrain, IDirectoryObserver<TEntry>> _directory;
    private Task<List<TEntry>>? _entries;

    protected DirectorySource(IGrainFactory grains, string key, SubscriptionRegistry subscriptions, TimeSpan renewEvery, ILogger logger)
    {
        _grains = grains;
        _key = key;
        _logger = logger;
        _directory = subscriptions.Add<TGrain, IDirectoryObserver<TEntry>>(
            this, new Renewal(renewEvery, async _ => await OnDirectoryChanged(await Directory().GetAll())));
    }

    /// <summary>Raised when an entry changed (and, in a source that follows more, whatever else it follows). Handlers
    /// must not block.</summary>
    public event Action? Changed;

    /// <summary>Every entry, ordered by key.</summary>
    public async Task<IReadOnlyList<TEntry>> All()
    {
        var loading = _entries ??= _directory.Open(_key, Directory().GetAll);
        try
        {
            return await loading;
        }
        catch
        {
            _ = Interlocked.CompareExchange(ref _entries, null, loading);
            throw;
        }
    }

    public Task OnDirectoryChanged(List<TEntry> entries)
    {
        _entries = Task.FromResult(entries);
        Raise();
        return Task.CompletedTask;
    }

    protected void Raise()
    {
        try
        {
            Changed?.Invoke();
        }
        catch (Exception exception)
        {
            LogHandlerFailed(_logger, typeof(TGrain).Name, exception);
        }
    }

    private TGrain Directory() => _grains.GetGrain<TGrain>(_key);

    public virtual ValueTask DisposeAsync() => _directory.DisposeAsync();

    [LoggerMessage(EventId = 5420, Level = LogLevel.Error, Message = "Handling a change of {Directory} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string directory, Exception exception);
}
