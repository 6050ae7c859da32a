using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Xds;

/// <summary>A real proxyless gRPC client (grpc-js-xds or C-core) in its own process, calling mesh.test.Echo on command.</summary>
/// <remarks>
/// The drivers are tests/xds-clients/client.js and client.py; their README describes the line protocol.
/// No GRPC_*EXPERIMENTAL* variable is set: in grpc-js-xds 1.14.1 and C-core 1.51 retries, fault
/// injection, ring hash and outlier detection are on by default. Pass one in <c>environment</c> for
/// the few features still behind one (C-core: GRPC_EXPERIMENTAL_XDS_CUSTOM_LB_CONFIG,
/// GRPC_EXPERIMENTAL_XDS_FEDERATION, GRPC_EXPERIMENTAL_XDS_RLS_LB).
/// </remarks>
public sealed class XdsClientProcess : IDisposable
{
    public const string DefaultTarget = "xds:///reviews.bookinfo.svc.cluster.local:9080";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(5);

    private readonly JsonLineProcess _process;

    private XdsClientProcess(XdsClientKind kind, JsonLineProcess process)
    {
        Kind = kind;
        _process = process;
    }

    public XdsClientKind Kind { get; }

    public string LogPath => _process.LogPath;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a client on an xDS target, with a bootstrap file written into <paramref name="directory"/>.</summary>
    public static Task<XdsClientProcess> StartAsync(
        XdsClientKind kind, XdsBootstrap bootstrap, string directory, string target = DefaultTarget, IDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["GRPC_XDS_BOOTSTRAP"] = bootstrap.WriteTo(directory),
        };
        return StartAsync(kind, target, directory, variables);
    }

    /// <summary>Starts a client on a plain target ("127.0.0.1:PORT"), with no xDS: for testing the drivers themselves.</summary>
    public static Task<XdsClientProcess> StartDirectAsync(XdsClientKind kind, string target, string directory) =>
        StartAsync(kind, target, directory, new Dictionary<string, string>());

    private static async Task<XdsClientProcess> StartAsync(XdsClientKind kind, string target, string directory, Dictionary<string, string> environment)
    {
        var driver = Path.Combine(Repository.Root, "tests", "xds-clients", kind == XdsClientKind.GrpcJs ? "client.js" : "client.py");
        // Debian's grpcio is importable only by Debian's own interpreter, not by a pyenv python3 earlier on PATH.
        var program = kind == XdsClientKind.GrpcJs ? "node" : "/usr/bin/python3";
        var log = Path.Combine(directory, $"client-{kind}-{Guid.NewGuid():N}"[..24] + ".log");
        var process = new JsonLineProcess(program, [driver, "--target", target], log, environment);
        var client = new XdsClientProcess(kind, process);
        try
        {
            await process.ReadAsync(StartLimit, $"{kind} client start");
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Makes <paramref name="count"/> unary calls one after another.</summary>
    public async Task<CallCounts> CallsAsync(int count, IReadOnlyDictionary<string, string>? metadata = null, TimeSpan? deadline = null, TimeSpan? limit = null)
    {
        var perCall = deadline ?? DefaultDeadline;
        var reply = await _process.SendAsync(
            new { cmd = "calls", count, metadata = metadata ?? new Dictionary<string, string>(), deadlineMs = (int)perCall.TotalMilliseconds },
            limit ?? Bound(perCall * count),
            $"{Kind}: {count} calls");
        return CallCounts.Parse(reply);
    }

    /// <summary>Starts calling in the background, one call after another, until <see cref="StopCallingAsync"/>.</summary>
    public Task StartCallingAsync(IReadOnlyDictionary<string, string>? metadata = null, TimeSpan? deadline = null) =>
        _process.SendAsync(
            new { cmd = "start", metadata = metadata ?? new Dictionary<string, string>(), deadlineMs = (int)(deadline ?? DefaultDeadline).TotalMilliseconds },
            TimeSpan.FromSeconds(10),
            $"{Kind}: start calling");

    /// <summary>Stops the background calls; counts everything since <see cref="StartCallingAsync"/>.</summary>
    public async Task<CallCounts> StopCallingAsync() =>
        // The call in flight finishes first, so allow for one whole deadline.
        CallCounts.Parse(await _process.SendAsync(new { cmd = "stop" }, Bound(DefaultDeadline), $"{Kind}: stop calling"));

    /// <summary>Calls until, among the last <paramref name="window"/> calls, <paramref name="backend"/> answered at least <paramref name="minShare"/>.</summary>
    public async Task<UntilResult> UntilAsync(
        string backend, double minShare, TimeSpan timeout, int window = 50, IReadOnlyDictionary<string, string>? metadata = null, TimeSpan? deadline = null)
    {
        var perCall = deadline ?? TimeSpan.FromSeconds(1);
        var reply = await _process.SendAsync(
            new
            {
                cmd = "until", backend, minShare, window, timeoutMs = (int)timeout.TotalMilliseconds,
                metadata = metadata ?? new Dictionary<string, string>(), deadlineMs = (int)perCall.TotalMilliseconds,
            },
            Bound(timeout + perCall),
            $"{Kind}: until {backend} answers {minShare:P0}");
        return UntilResult.Parse(reply);
    }

    public string Log() => _process.Tail(int.MaxValue);

    // The driver's own time plus room for a slow start on a busy 2-core machine.
    private static TimeSpan Bound(TimeSpan work) => (work < TimeSpan.FromMinutes(5) ? work : TimeSpan.FromMinutes(5)) + TimeSpan.FromSeconds(15);

    public void Dispose() => _process.Dispose();
}
