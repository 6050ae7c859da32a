using Mesh.Grains.ApiPolicies;
using Mesh.Grains.Services;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>This silo's copy of the ApiPolicy directory, read when a gateway route is first translated and kept by
/// one grain subscription; a directory that forgot the subscription is re-read.</summary>
public sealed partial class ApiPolicySource : IApiPolicyDirectoryObserver, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly ILogger _logger;
    private readonly ObserverSubscriptions<IApiPolicyDirectoryGrain, IApiPolicyDirectoryObserver> _directory;
    private Task<List<ConfigSpec>>? _policies;

    public ApiPolicySource(IGrainFactory grains, SubscriptionRegistry subscriptions, IOptions<XdsOptions> options, ILogger<ApiPolicySource> logger)
    {
        _grains = grains;
        _logger = logger;
        _directory = subscriptions.Add<IApiPolicyDirectoryGrain, IApiPolicyDirectoryObserver>(
            this, new Renewal(options.Value.SubscriptionExpiry / 3, async _ => await OnApiPoliciesChanged(await Directory().GetAll())));
    }

    /// <summary>Raised when a policy changed. Handlers must not block.</summary>
    public event Action? Changed;

    /// <summary>Every ApiPolicy, by key.</summary>
    public async Task<IReadOnlyList<ConfigSpec>> All()
    {
        var loading = _policies ??= _directory.Open(IApiPolicyDirectoryGrain.Key, Directory().GetAll);
        try
        {
            return await loading;
        }
        catch
        {
            _ = Interlocked.CompareExchange(ref _policies, null, loading);
            throw;
        }
    }

    public Task OnApiPoliciesChanged(List<ConfigSpec> policies)
    {
        _policies = Task.FromResult(policies);
        try
        {
            Changed?.Invoke();
        }
        catch (Exception exception)
        {
            LogHandlerFailed(_logger, exception);
        }
        return Task.CompletedTask;
    }

    private IApiPolicyDirectoryGrain Directory() => _grains.GetGrain<IApiPolicyDirectoryGrain>(IApiPolicyDirectoryGrain.Key);

    public ValueTask DisposeAsync() => _directory.DisposeAsync();

    [LoggerMessage(EventId = 5430, Level = LogLevel.Error, Message = "Handling an ApiPolicy change failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception);
}
