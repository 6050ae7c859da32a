namespace Mesh.Bench.KubeLoad;

/// <summary>One change: how long its write took to return, and when the xDS client saw it, from the write's return
/// (null when it was not seen within the wait); end to end adds the write itself.</summary>
public sealed record Sample(string Change, string Mode, string Path, int Service, double WriteMs, double? AfterWriteMs)
{
    public double? EndToEndMs => AfterWriteMs + WriteMs;
}
