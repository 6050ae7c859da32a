using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Grains.Changes;
using Mesh.Grains.Config;

namespace Mesh.Silo.Api;

public sealed partial class ConfigApiService
{
    public override async Task Watch(WatchRequest request, IServerStreamWriter<WatchEvent> responseStream, ServerCallContext context)
    {
        var kind = string.IsNullOrEmpty(request.Kind) ? null : ResolveKind(request.Kind).Kind;
        var ns = string.IsNullOrEmpty(request.Namespace) ? null : RequireNamespace(request.Namespace);
        // Ends with the call, or when the silo stops (Kestrel would otherwise wait for open streams).
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var cancellationToken = ending.Token;
        await using var watch = watches.Create(kind, ns);
        var initial = await watch.Start(cancellationToken);
        // Headers mean "subscribed": a client that waits for them knows no later change can be missed.
        await context.WriteResponseHeadersAsync(new Metadata());
        if (request.SendInitial)
        {
            foreach (var config in initial.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                await responseStream.WriteAsync(Event("ADDED", config), cancellationToken);
            }
        }
        try
        {
            await foreach (var change in watch.Events.ReadAllAsync(cancellationToken))
            {
                var type = change.Type switch { ChangeType.Added => "ADDED", ChangeType.Deleted => "DELETED", _ => "MODIFIED" };
                await responseStream.WriteAsync(Event(type, change.Config with { ResourceVersion = change.ResourceVersion }), cancellationToken);
            }
        }
        catch (InvalidOperationException exception)
        {
            throw ApiErrors.Unavailable(exception.Message);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw ApiErrors.Unavailable("the silo is shutting down; watch again to continue on another silo");
        }
    }

    private static WatchEvent Event(string type, StoredConfig config) => new() { Type = type, Resource = ResourceMapper.ToApi(config) };
}

