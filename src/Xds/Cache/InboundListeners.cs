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
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly InboundPolicySource _source;
    private readonly TrustStore _trust;
    private readonly XdsOptions _options;
    private readonly Translation.HttpListenerSettings _listenerSettings;
    private readonly RetranslatedResources<string> _listeners;

    public InboundListeners(InboundPolicySource source, TrustStore trust, IOptions<XdsOptions> options, Microsoft.Extensions.Logging.ILogger<InboundListeners> logger)
    {
        _logger = logger;
        _source = source;
        _trust = trust;
        _options = options.Value;
        _listenerSettings = Translation.HttpListenerSettings.Of(_options);
        _listeners = new RetranslatedResources<string>(Translate);
        _source.Changed += ns => _ = Recompute(ns);
    }

    /// <summary>Listeners whose content changed. Handlers must not block.</summary>
    public event Action<IReadOnlyList<XdsResourceKey>, ChangeOrigin>? Changed;

    public Task<XdsResource?> Get(string name) => _listeners.Get(name);

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
        var changed = await _listeners.Retranslate(
            name => InboundListenerName.TryParse(name, out var @namespace, out _)
                && (@namespace == changedNamespace || changedNamespace == _options.RootNamespace),
            StringComparer.Ordinal,
            exception => LogRecomputeFailed(_logger, changedNamespace, exception));
        if (changed.Count > 0) Changed?.Invoke([.. changed.Select(name => new XdsResourceKey(TypeUrls.Listener, name))], new ChangeOrigin(DateTimeOffset.UtcNow, null));
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 5413, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Could not re-translate the inbound listeners of namespace {Namespace}; retrying")]
    private static partial void LogRecomputeFailed(Microsoft.Extensions.Logging.ILogger logger, string @namespace, Exception exception);
}
