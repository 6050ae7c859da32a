using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Mesh.Integration.Tests.Xds;

/// <summary>A child process that takes one JSON command per stdin line and answers each with one JSON line on stdout.</summary>
/// <remarks>Both streams and stderr go to a log file; stdout lines that are not JSON objects are logged and skipped.</remarks>
public sealed class JsonLineProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Channel<JsonElement> _lines = Channel.CreateUnbounded<JsonElement>();
    private readonly SemaphoreSlim _oneCommandAtATime = new(1, 1);

    public JsonLineProcess(string fileName, IEnumerable<string> arguments, string logPath, IDictionary<string, string>? environment = null)
    {
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Infrastructure.Repository.Root,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => OnStdout(e.Data);
        _process.ErrorDataReceived += (_, e) => Write("err", e.Data);
        _process.Start();
        _process.StandardInput.AutoFlush = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The next JSON line the process prints (the "ready" line, say).</summary>
    public async Task<JsonElement> ReadAsync(TimeSpan limit, string what)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            return await _lines.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{what}: no reply within {limit.TotalSeconds:0.#} s. Log {LogPath}:\n{Tail()}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"{what}: the process exited before replying. Log {LogPath}:\n{Tail()}");
        }
    }

    /// <summary>Sends one command and returns its reply; a reply with an "error" field throws.</summary>
    public async Task<JsonElement> SendAsync(object command, TimeSpan limit, string what)
    {
        await _oneCommandAtATime.WaitAsync();
        try
        {
            var line = JsonSerializer.Serialize(command);
            Write("in", line);
            await _process.StandardInput.WriteLineAsync(line);
            var reply = await ReadAsync(limit, what);
            if (reply.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"{what}: the driver refused {line}: {error}");
            }
            return reply;
        }
        finally
        {
            _oneCommandAtATime.Release();
        }
    }

    public string Tail(int lines = 40)
    {
        lock (_log)
        {
            var all = File.ReadAllLines(LogPath);
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
    }

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            _lines.Writer.TryComplete();
            return;
        }
        Write("out", line);
        if (!line.StartsWith('{')) return;
        try
        {
            using var document = JsonDocument.Parse(line);
            _lines.Writer.TryWrite(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            // Not ours (a library printing to stdout): logged above, not a reply.
        }
    }

    private void Write(string stream, string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            try { _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {stream} {line}"); } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>Closes stdin, which the drivers take as "exit 0"; kills the process if it has not gone within 5 s.</summary>
    public void Dispose()
    {
        try { _process.StandardInput.Close(); } catch (IOException) { } catch (InvalidOperationException) { }
        if (!_process.WaitForExit(5_000)) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(5_000);
        lock (_log) _log.Dispose();
        _process.Dispose();
        _oneCommandAtATime.Dispose();
    }
}
