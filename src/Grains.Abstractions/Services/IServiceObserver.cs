using Orleans.Concurrency;

namespace Mesh.Grains.Services;

/// <summary>Told when a service host's model changes; implemented by each silo's xDS front-end, one
/// subscription per silo and host, whatever the number of proxies behind it.</summary>
[Alias("mesh.IServiceObserver")]
public interface IServiceObserver : IGrainObserver
{
    [OneWay, Alias("OnServiceChanged")] Task OnServiceChanged(ServiceModel model);
}
