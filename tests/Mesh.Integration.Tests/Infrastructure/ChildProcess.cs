using System.Diagnostics;
using System.Text;

namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>A long-running child process whose output goes to a log file, ended when the test ends.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    public ChildProcess(string fileName, IEnumerable<string> arguments, string logPath, IDictionary<string, string>? environment = null)
    {
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>SIGKILL: no cleanup, no goodbye.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>Sends a signal by name (<c>STOP</c>, <c>CONT</c>, ...).</summary>
    public void Signal(string name)
    {
        if (_process.HasExited) return;
        using var kill = Process.Start("kill", [$"-{name}", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    /// <summary>SIGTERM, then wait for a graceful exit (SIGKILL after the limit).</summary>
    public void Stop(TimeSpan limit)
    {
        if (_process.HasExited) return;
        Signal("TERM");
        if (!WaitForExit(limit)) Kill();
    }

    /// <summary>Waits for the exit and, once exited, for the last of its output to reach the log
    /// (the timed overload alone returns before the output readers finish).</summary>
    public bool WaitForExit(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit)) return false;
        _process.WaitForExit();
        return true;
    }

    public string Log()
    {
        lock (_log) return File.ReadAllText(LogPath, Encoding.UTF8);
    }

    private void Write(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            try { _log.WriteLine(line); } catch (ObjectDisposedException) { }
        }
    }

    public void Dispose()
    {
        Kill();
        lock (_log) _log.Dispose();
        _process.Dispose();
    }
}
