using System.Diagnostics;

namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>Runs the real <c>meshctl</c> and captures what it prints.</summary>
public static class Meshctl
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public static Task<Result> Run(string server, params string[] arguments) => RunWithInput(server, null, arguments);

    /// <summary>Runs meshctl with <paramref name="stdin"/> as its standard input (for <c>-f -</c>).</summary>
    public static async Task<Result> RunWithInput(string server, string? stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Repository.MeshctlDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["MESH_SERVER"] = server;
        using var process = Process.Start(start)!;
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Within(TimeSpan.FromSeconds(60), $"meshctl {string.Join(' ', arguments)}");
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
