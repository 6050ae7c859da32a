using System.Diagnostics;

namespace Mesh.Sidecar.Capture;

/// <summary>Runs the iptables binaries: the rules are applied in one <c>iptables-restore</c> transaction so a half
/// installed set never redirects traffic to a listener that is not wired up.</summary>
internal static class Iptables
{
    public static int Restore(string rules)
    {
        using var process = Start("iptables-restore", ["--noflush"], redirectInput: true);
        process.StandardInput.Write(rules);
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0) Console.Error.WriteLine($"error: iptables-restore exited with {process.ExitCode}: {process.StandardError.ReadToEnd().Trim()}");
        return process.ExitCode == 0 ? 0 : 1;
    }

    /// <summary>Removes whatever of Mesh's rules are there; a missing rule or chain is not an error.</summary>
    public static void RemoveAll()
    {
        foreach (var arguments in CaptureRules.Cleanup())
        {
            using var process = Start("iptables", arguments, redirectInput: false);
            process.WaitForExit();
        }
    }

    private static Process Start(string file, IEnumerable<string> arguments, bool redirectInput)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = redirectInput, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{file} is not installed or not on PATH (apt-get install -y iptables): {e.Message}", e);
        }
    }
}
