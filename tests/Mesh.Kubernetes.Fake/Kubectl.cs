using System.Diagnostics;

namespace Mesh.Kubernetes.Fake;

/// <summary>The real <c>kubectl</c> of the base image, pointed at a fake API server with its own cache folder
/// (discovery is cached per server URL) and without client-side validation (the fake serves no OpenAPI schema).
/// Shared by every test project that drives a fake with kubectl.</summary>
public sealed class Kubectl(Uri server) : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("mesh-kubectl-").FullName;

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public Result Succeeded()
        {
            return ExitCode == 0 ? this : throw new InvalidOperationException($"kubectl exited {ExitCode}: {Error}{Output}");
        }
    }

    public async Task<Result> Run(string stdin, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "--server", server.ToString().TrimEnd('/'), "--cache-dir", _cache, "--kubeconfig", "/dev/null" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 30 s");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    public Task<Result> Apply(string yaml) => Run(yaml, "apply", "--validate=false", "-f", "-");

    public void Dispose() => Directory.Delete(_cache, recursive: true);
}
