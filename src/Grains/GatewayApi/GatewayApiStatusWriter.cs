using Mesh.Config.Keys;
using Mesh.Grains.Config;
using Microsoft.Extensions.Logging;

namespace Mesh.Grains.GatewayApi;

/// <summary>Writes computed status to the config grains, one at a time and newest value last, without the grain
/// awaiting it: a config grain that is applying a Gateway API resource waits on the Gateway API grain (through
/// <see cref="ConfigDependents"/>), so the grain must never wait on a config grain in turn. A write that fails stays
/// wanted and is retried on the next start (the grain's recheck timer runs while any is pending).</summary>
internal sealed partial class GatewayApiStatusWriter(IGrainFactory grains, ILogger logger, IReadOnlyDictionary<string, string> initial)
{
    private readonly Dictionary<string, string?> _wanted = initial.ToDictionary(s => s.Key, s => (string?)s.Value, StringComparer.Ordinal);
    private bool _writing;

    public bool Pending => _wanted.Count > 0;

    /// <summary>The status to write for each key (null: none).</summary>
    public void Want(IEnumerable<KeyValuePair<string, string?>> status)
    {
        foreach (var (key, json) in status) _wanted[key] = json;
    }

    /// <summary>Starts writing what is wanted, unless a write is running (it takes the new values as it goes).</summary>
    public void Start()
    {
        if (_writing || _wanted.Count == 0) return;
        _writing = true;
        _ = Run();
    }

    private async Task Run()
    {
        try
        {
            while (_wanted.Count > 0)
            {
                var (key, json) = _wanted.First();
                var (kind, ns, name) = ResourceKey.Parse(key);
                await grains.Config(kind, ns, name).SetStatus(json);
                // Taken off only if no newer value arrived meanwhile.
                if (_wanted.TryGetValue(key, out var now) && now == json) _wanted.Remove(key);
            }
        }
        catch (Exception exception)
        {
            LogStatusFailed(logger, exception);
        }
        finally
        {
            _writing = false;
        }
    }

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Writing Gateway API status failed; it is retried")]
    private static partial void LogStatusFailed(ILogger logger, Exception exception);
}
