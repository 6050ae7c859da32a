namespace Mesh.Integration.Tests.Pods;

/// <summary>A test that needs root and <c>ip netns</c>; skipped with the reason otherwise.</summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (Pod.Unavailable() is { } reason) Skip = reason;
    }
}
