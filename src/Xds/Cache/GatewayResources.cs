using System.Collections.Concurrent;
using Mesh.Config.Keys;
using Mesh.Grains.Gateways;
using Mesh.Xds.Resources;
using Mesh.Xds.Translation;
using Mesh.Xds.Translation.Gateways;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>Gateway listeners and route configurations (<c>gateway|NS|WORKLOAD|PORT</c>) in use on this silo,
/// translated from the gateways that select the workload (by the labels it registered) and the routes bound to them,
/// and re-translated when a gateway, a bound route, the directory or the workload changes; only those whose content
/// changed are announced.</summary>
internal sealed partial class GatewayResources
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);
    // One translation at a time: a lookup and a recompute never interleave, so the newest state is the one kept.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly GatewaySource _gateways;
    private readonly InboundPolicySource _workloads;
    private readonly HttpListenerSettings _listenerSettings;
    private readonly ConcurrentDictionary<XdsResourceKey, XdsResource?> _computed = new();
    private int _recomputing;

    public GatewayResources(GatewaySource gateways, InboundPolicySource workloads, IOptions<XdsOptions> options,
        Microsoft.Extensions.Logging.ILogger<GatewayResources> logger)
    {
        _logger = logger;
        _gateways = gateways;
        _workloads = workloads;
        _listenerSettings = HttpListenerSettings.Of(options.Value);
        _gateways.Changed += () => _ = Recompute();
        _workloads.Changed += @namespace => _ = Recompute();
    }

    /// <summary>Resources whose content changed. Handlers must not block.</summary>
    public event Action<IReadOnlyList<XdsResourceKey>, ChangeOrigin>? Changed;

    public static bool Serves(string typeUrl, string name) =>
        typeUrl is TypeUrls.Listener or TypeUrls.Route && name.StartsWith(XdsNames.GatewayPrefix, StringComparison.Ordinal);

    public async Task<XdsResource?> Get(XdsResourceKey key)
    {
        if (_computed.TryGetValue(key, out var known)) return known;
        await _gate.WaitAsync();
        try
        {
            if (_computed.TryGetValue(key, out known)) return known;
            var resource = await Translate(key);
            _computed[key] = resource;
            return resource;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<XdsResource?> Translate(XdsResourceKey key)
    {
        if (!XdsNames.TryParseGatewayListener(key.Name, out var @namespace, out var workload, out var port)) return null;
        var gateways = await Selecting(@namespace, workload);
        Google.Protobuf.IMessage? message = key.Type == TypeUrls.Listener
            ? GatewayListenerTranslator.Translate(@namespace, workload, port, gateways, _listenerSettings)
            : GatewayRouteTranslator.Translate(@namespace, workload, port, gateways);
        return message is null ? null : XdsResource.Of(key.Type, key.Name, message);
    }

    /// <summary>The gateways whose selection includes the workload's labels, by key, with their bound routes.</summary>
    private async Task<IReadOnlyList<BoundGateway>> Selecting(string @namespace, string workload)
    {
        if (await _workloads.Workload(@namespace, workload) is not { } facts) return [];
        var keys = (await _gateways.Selections()).Where(s => s.Selects(@namespace, facts.Labels)).Select(s => s.GatewayKey);
        var models = await Task.WhenAll(keys.Select(_gateways.Model));
        return [.. models.Select(Bound).OfType<BoundGateway>()];
    }

    private static BoundGateway? Bound(GatewayModel model)
    {
        if (model.Gateway is not { } gateway) return null;
        var key = ResourceKey.Parse(model.Key);
        var routes = model.Routes.Select(r => new BoundRoute(r.Key, r.Namespace, SpecViews.VirtualService(r))).ToList();
        return new BoundGateway(key.Namespace, key.Name, SpecViews.Gateway(gateway), routes);
    }

    private async Task Recompute()
    {
        // Changes during a recompute fold into one more pass.
        if (Interlocked.Increment(ref _recomputing) > 1) return;
        while (true)
        {
            await _gate.WaitAsync();
            try
            {
                Interlocked.Exchange(ref _recomputing, 1);
                await RecomputeLocked();
                if (Interlocked.Decrement(ref _recomputing) == 0) return;
                continue;
            }
            catch (Exception exception)
            {
                // Never leave a stale gateway in place: try again until the new one is translated.
                LogRecomputeFailed(_logger, exception);
            }
            finally
            {
                _gate.Release();
            }
            await Task.Delay(RetryAfter);
        }
    }

    private async Task RecomputeLocked()
    {
        var changed = new List<XdsResourceKey>();
        foreach (var key in _computed.Keys.OrderBy(k => k.Type, StringComparer.Ordinal).ThenBy(k => k.Name, StringComparer.Ordinal))
        {
            var before = _computed.TryGetValue(key, out var b) ? b : null;
            var after = await Translate(key);
            _computed[key] = after;
            if (before?.Version != after?.Version) changed.Add(key);
        }
        if (changed.Count > 0) Changed?.Invoke(changed, new ChangeOrigin(DateTimeOffset.UtcNow, null));
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 5421, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Could not re-translate the gateway resources; retrying")]
    private static partial void LogRecomputeFailed(Microsoft.Extensions.Logging.ILogger logger, Exception exception);
}
