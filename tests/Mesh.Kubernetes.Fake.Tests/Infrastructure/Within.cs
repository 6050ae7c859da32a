namespace Mesh.Kubernetes.Fake.Tests.Infrastructure;

/// <summary>Every await on a stream gets a deadline, so a test that waits for an event fails instead of hanging.</summary>
public static class Within
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    public static async Task<T> Deadline<T>(this Task<T> task, TimeSpan? limit = null) => await task.WaitAsync(limit ?? Default);

    public static async Task Deadline(this Task task, TimeSpan? limit = null) => await task.WaitAsync(limit ?? Default);
}
