using Orleans.Concurrency;

namespace Mesh.Grains.Changes;

/// <summary>Receives a namespace's config changes; implemented outside grains (the management API's Watch,
/// the xDS front-end) and registered with <c>IGrainFactory.CreateObjectReference</c>.</summary>
[Alias("mesh.IConfigChangeObserver")]
public interface IConfigChangeObserver : IGrainObserver
{
    [OneWay, Alias("OnChanged")] Task OnChanged(ConfigChange change);
}
