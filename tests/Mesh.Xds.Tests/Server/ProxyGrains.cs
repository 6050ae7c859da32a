using System.Reflection;
using Mesh.Grains.Proxies;

namespace Mesh.Xds.Tests.Server;

/// <summary>A grain factory that only makes proxy grains, which keep every status a stream reports, and proxy
/// directory buckets, which count the nodes added to them.</summary>
public class ProxyGrains : DispatchProxy
{
    private IProxyGrain _grain = null!;
    private IProxyDirectoryGrain _directory = null!;

    public static IGrainFactory Create(out ProxyGrain reported) => Create(out reported, out _);

    public static IGrainFactory Create(out ProxyGrain reported, out ProxyDirectoryBucket directory)
    {
        var grains = Create<IGrainFactory, ProxyGrains>();
        var grain = Create<IProxyGrain, ProxyGrain>();
        var bucket = Create<IProxyDirectoryGrain, ProxyDirectoryBucket>();
        ((ProxyGrains)(object)grains)._grain = grain;
        ((ProxyGrains)(object)grains)._directory = bucket;
        reported = (ProxyGrain)(object)grain;
        directory = (ProxyDirectoryBucket)(object)bucket;
        return grains;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args) => method switch
    {
        { Name: nameof(IGrainFactory.GetGrain) } when method.ReturnType == typeof(IProxyGrain) => _grain,
        { Name: nameof(IGrainFactory.GetGrain) } when method.ReturnType == typeof(IProxyDirectoryGrain) => _directory,
        _ => throw new NotSupportedException($"a stream asked the grain factory for {method}"),
    };
}

/// <summary>A directory bucket that counts the nodes a stream adds.</summary>
public class ProxyDirectoryBucket : DispatchProxy
{
    private int _added;

    public int Added => Volatile.Read(ref _added);

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (method?.Name != nameof(IProxyDirectoryGrain.Add)) throw new NotSupportedException($"a stream called {method} on a directory bucket");
        Interlocked.Increment(ref _added);
        return Task.CompletedTask;
    }
}

/// <summary>The proxy grain a stream reports to.</summary>
public class ProxyGrain : DispatchProxy
{
    private readonly List<ProxyStatus> _reports = [];

    /// <summary>When set, reports wait for it (a grain on a silo that stopped answering).</summary>
    public Task? Hang { get; set; }

    public int Reports
    {
        get { lock (_reports) return _reports.Count; }
    }

    /// <summary>The last status reported (the stream reports a final one when it ends).</summary>
    public ProxyStatus Last
    {
        get { lock (_reports) return _reports[^1]; }
    }

    /// <summary>The last reported status of one type.</summary>
    public TypeStatus Of(string type) => Last.Types.Single(t => t.TypeUrl == type);

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        switch (method?.Name)
        {
            case nameof(IProxyGrain.Report):
                lock (_reports) _reports.Add((ProxyStatus)args![0]!);
                return Hang ?? Task.CompletedTask;
            case nameof(IProxyGrain.Disconnected):
                return Task.CompletedTask;
            default:
                throw new NotSupportedException($"a stream called {method} on its proxy grain");
        }
    }
}
