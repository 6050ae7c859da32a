using System.Collections.Concurrent;
using Mesh.Xds.Resources;
using Mesh.Xds.Security;
using Mesh.Xds.Translation.Security;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>Sidecar inbound listeners (<c>virtualInbound|NS|WORKLOAD</c>) in use on this silo, translated from the
/// workload's labels and the security policy of its namespace and the root namespace, and re-translated when
/// either changes; only those whose content changed are announced.</summary>
internal sealed partial class InboundListeners
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);
    // One translation at a time: a lookup and a recompute never interleave, so the newest policy is the one kept.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly InboundPolicySource _source;
    private readonly TrustStore _trust;
    private readonly XdsOptions _options;
    private readonly Translation.HttpListenerSettings _listenerSettings;
    private readonly ConcurrentDictionary<string, XdsResource?> _computed = new(StringComparer.Ordinal);

    public InboundListeners(InboundPolicySource source, TrustStore trust, IOptions<XdsOptions> options, Microsoft.Extensions.Logging.ILogger<InboundListeners> logger)
    {
        _logger = logger;
        _source = source;
        _trust = trust;
        _options = options.Value;
        _listenerSettings = Translation.HttpListenerSettings.Of(_options);
        _source.Changed += ns => _ = Recompute(ns);
    }

    /// <summary>Listeners whose content changed. Handlers must not block.</summary>
    public event Action<IReadOnlyList<XdsResourceKey>, ChangeOrigin>? Changed;

    public async Task<XdsResource?> Get(string name)
    {
        if (_computed.TryGetValue(name, out var known)) return known;
        await _gate.WaitAsync();
        try
        {
            if (_computed.TryGetValue(name, out known)) return known;
            var resource = await Translate(name);
            _computed[name] = resource;
            return resource;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<XdsResource?> Translate(string name)
    {
        if (!InboundListenerName.TryParse(name, out var @namespace, out var workload)) return null;
        var labels = (await _source.Workload(@namespace, workload))?.Labels ?? new Dictionary<string, string>();
        var root = _options.RootNamespace;
        var policies = (await _source.Policies(@namespace)).Concat(@namespace == root ? [] : await _source.Policies(root)).ToList();
        var bundle = await _trust.Bundle();
        var listener = InboundListenerTranslator.Translate(name, policies, @namespace, labels, root, bundle.TrustDomain, _listenerSettings);
        return XdsResource.Of(TypeUrls.Listener, name, listener);
    }

    private async Task Recompute(string changedNamespace)
    {
        while (true)
        {
            await _gate.WaitAsync();
            try
            {
                await RecomputeLocked(changedNamespace);
                return;
            }
            catch (Exception exception)
            {
                // Never leave a stale policy in place: try again until the new one is translated.
                LogRecomputeFailed(_logger, changedNamespace, exception);
            }
            finally
            {
                _gate.Release();
            }
            await Task.Delay(RetryAfter);
        }
    }

    private async Task RecomputeLocked(string changedNamespace)
    {
        var changed = new List<XdsResourceKey>();
        foreach (var name in _computed.Keys.Order(StringComparer.Ordinal))
        {
            if (!InboundListenerName.TryParse(name, out var @namespace, out _)) continue;
            if (@namespace != changedNamespace && changedNamespace != _options.RootNamespace) continue;
            var before = _computed.TryGetValue(name, out var b) ? b : null;
            var after = await Translate(name);
            _computed[name] = after;
            if (before?.Version != after?.Version) changed.Add((TypeUrls.Listener, name));
        }
        if (changed.Count > 0) Changed?.Invoke(changed, new ChangeOrigin(DateTimeOffset.UtcNow, null));
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 5411, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Could not re-translate the inbound listeners of namespace {Namespace}; retrying")]
    private static partial void LogRecomputeFailed(Microsoft.Extensions.Logging.ILogger logger, string @namespace, Exception exception);
}
