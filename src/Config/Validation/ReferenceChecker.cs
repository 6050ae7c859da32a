using Mesh.Config.Manifests;

namespace Mesh.Config.Validation;

/// <summary>Finds references to things that do not exist (a subset no DestinationRule defines, a host no
/// ServiceEntry declares). These are warnings: the resource is still accepted.</summary>
public static class ReferenceChecker
{
    public static ValueTask<IReadOnlyList<FieldError>> CheckAsync(Resource resource, IConfigLookup lookup, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
