namespace Mesh.TestBackend.Faults;

/// <summary>What <c>POST /_control/faults</c> set: the share of ordinary requests failed on purpose, the status they
/// get, and a delay before every ordinary request.</summary>
public sealed record FaultSettings(double FailRate, int Status, int DelayMs)
{
    public static readonly FaultSettings None = new(0, StatusCodes.Status503ServiceUnavailable, 0);
}
