using System.Runtime.InteropServices;

namespace Mesh.Sidecar.Telemetry;

/// <summary>The CPU time the calling thread has used (Linux's <c>CLOCK_THREAD_CPUTIME_ID</c>), so that work done on
/// one thread is measured in CPU, not in wall time a loaded machine stretches. Zero where it cannot be read.</summary>
internal static class ThreadCpuTime
{
    private const int ClockThreadCpuTime = 3;

    public static TimeSpan Now()
    {
        if (!OperatingSystem.IsLinux() || clock_gettime(ClockThreadCpuTime, out var time) != 0) return TimeSpan.Zero;
        return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // DllImport: the signature is blittable, so no marshalling is generated either way (LibraryImport needs unsafe code).
    [DllImport("libc")]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
