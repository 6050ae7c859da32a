using Microsoft.AspNetCore.Http.Features;

namespace Mesh.Sidecar.Tests.Proxy;

/// <summary>A response that runs its OnStarting callbacks when <see cref="Start"/> is called, as a server does.</summary>
internal sealed class StartingResponse : HttpResponseFeature
{
    private readonly List<(Func<object, Task> Callback, object State)> _starting = [];

    public override void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

    public async Task Start()
    {
        foreach (var (callback, state) in _starting) await callback(state);
    }
}
