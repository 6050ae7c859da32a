namespace Mesh.Kubernetes.Source;

/// <summary>How a <see cref="ResourceWatch"/> lists and watches; the defaults suit a real API server.</summary>
public sealed record WatchOptions
{
    /// <summary>Items per list page (<c>limit</c>); the rest is fetched with <c>continue</c>.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>How long one watch request may stay open (<c>timeoutSeconds</c>); the server ends it then and the
    /// watch resumes from where it was, which also rotates connections across API server replicas.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The first pause after an error; it doubles per consecutive error up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);
}
