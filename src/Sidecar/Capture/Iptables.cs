using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Mesh.Sidecar.Capture;

/// <summary>Runs the iptables binaries (ip6tables for IPv6): the rules are applied in one <c>iptables-restore</c>
/// transaction per family so a half installed set never redirects traffic to a listener that is not wired up.</summary>
internal static class Iptables
{
    public static int Restore(string rules, AddressFamily family)
    {
        using var process = Start(Binary(family) + "-restore", ["--noflush"], redirectInput: true);
        process.StandardInput.Write(rules);
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0) Console.Error.WriteLine($"error: {Binary(family)}-restore exited with {process.ExitCode}: {process.StandardError.ReadToEnd().Trim()}");
        return process.ExitCode == 0 ? 0 : 1;
    }

    /// <summary>Removes whatever of Mesh's rules are there; a missing rule or chain is not an error.</summary>
    public static void RemoveAll(AddressFamily family)
    {
        foreach (var arguments in CaptureRules.Cleanup())
        {
            using var process = Start(Binary(family), arguments, redirectInput: false);
            process.WaitForExit();
        }
    }

    /// <summary>Whether this network namespace has an IPv6 address a peer could reach: one that is neither loopback
    /// nor link-local (a pod's IPv6 address, a ULA or global one).</summary>
    public static bool HasIpv6Address() => NetworkInterface.GetAllNetworkInterfaces()
        .SelectMany(i => i.GetIPProperties().UnicastAddresses)
        .Any(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6 && !IPAddress.IsLoopback(a.Address) && !a.Address.IsIPv6LinkLocal);

    public static string Binary(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "ip6tables" : "iptables";

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
