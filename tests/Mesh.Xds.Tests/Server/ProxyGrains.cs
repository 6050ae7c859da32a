using System.Reflection;
using Mesh.Grains.Proxies;

namespace Mesh.Xds.Tests.Server;

/// <summary>A grain factory that only makes proxy grains, which keep every status a stream reports.</summary>
public class ProxyGrains : DispatchProxy
{
    private IProxyGrain _grain = null!;

    public static IGrainFactory Create(out ProxyGrain reported)
    {
        var grains = Create<IGrainFactory, ProxyGrains>();
        var grain = Create<IProxyGrain, ProxyGrain>();
        ((ProxyGrains)(object)grains)._grain = grain;
        reported = (ProxyGrain)(object)grain;
        return grains;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args) =>
        method is { Name: nameof(IGrainFactory.GetGrain) } && method.ReturnType == typeof(IProxyGrain)
            ? _grain
            : throw new NotSupportedException($"a stream asked the grain factory for {method}");
}

/// <summary>The proxy grain a stream reports to.</summary>
public class ProxyGrain : DispatchProxy
{
    private readonly List<ProxyStatus> _reports = [];

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
                return Task.CompletedTask;
            case nameof(IProxyGrain.Disconnected):
                return Task.CompletedTask;
            default:
                throw new NotSupportedException($"a stream called {method} on its proxy grain");
        }
    }
}
