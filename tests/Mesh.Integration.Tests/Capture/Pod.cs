using System.Diagnostics;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Capture;

/// <summary>A network namespace standing in for a pod: its own interfaces, routes, iptables and
/// <c>/etc/netns/NAME/hosts</c> (which <c>ip netns exec</c> mounts over /etc/hosts). Disposing deletes the namespace,
/// the host ends of its links and its /etc/netns folder.</summary>
public sealed class Pod : IDisposable
{
    private readonly List<string> _hostLinks = [];

    public Pod(string name)
    {
        Name = name;
        Run("ip", "netns", "add", name);
        Exec("ip", "link", "set", "lo", "up");
    }

    public string Name { get; }

    private string EtcFolder => Path.Combine("/etc/netns", Name);

    /// <summary>Why these tests cannot run here, or null: they need root and <c>ip netns</c>.</summary>
    public static string? Unavailable()
    {
        if (!Environment.IsPrivilegedProcess) return "transparent capture needs root (network namespaces, iptables)";
        try
        {
            return Command("ip", ["netns", "list"]).Code == 0 ? null : "`ip netns` is not available here";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "`ip` (iproute2) is not installed";
        }
    }

    /// <summary>A veth pair from the host namespace (<paramref name="hostEnd"/>, <paramref name="hostAddress"/>) to this
    /// pod (<paramref name="podEnd"/>, <paramref name="podAddress"/>); addresses as CIDR.</summary>
    public void LinkToHost(string hostEnd, string hostAddress, string podEnd, string podAddress)
    {
        Run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", podEnd);
        _hostLinks.Add(hostEnd);
        Run("ip", "link", "set", podEnd, "netns", Name);
        Run("ip", "addr", "add", hostAddress, "dev", hostEnd);
        Run("ip", "link", "set", hostEnd, "up");
        Up(podEnd, podAddress);
    }

    /// <summary>IPv6 addresses (CIDR) on both ends of a link to the host made by <see cref="LinkToHost"/>, usable at once
    /// (no duplicate address detection to wait for).</summary>
    public void Ipv6ToHost(string hostEnd, string hostAddress, string podEnd, string podAddress)
    {
        Run("ip", "addr", "add", hostAddress, "dev", hostEnd, "nodad");
        Exec("ip", "addr", "add", podAddress, "dev", podEnd, "nodad");
    }

    /// <summary>A veth pair between two pods, as their shared pod network.</summary>
    public void LinkTo(Pod other, string end, string address, string otherEnd, string otherAddress)
    {
        Run("ip", "link", "add", end, "type", "veth", "peer", "name", otherEnd);
        Run("ip", "link", "set", end, "netns", Name);
        Run("ip", "link", "set", otherEnd, "netns", other.Name);
        Up(end, address);
        other.Up(otherEnd, otherAddress);
    }

    /// <summary>A route in the host namespace to <paramref name="address"/> through this pod's end of a host link (the
    /// node reaching a pod address that is not on that link); it goes when the link does.</summary>
    public static void HostRoute(string address, string via) => Run("ip", "route", "add", address, "via", via);

    public void DefaultRoute(string via) => Exec("ip", "route", "add", "default", "via", via);

    /// <summary>The pod's /etc/hosts, as kubelet writes one (with the cluster DNS's answers standing in).</summary>
    public void Hosts(params (string Address, string Names)[] entries)
    {
        Directory.CreateDirectory(EtcFolder);
        File.WriteAllLines(Path.Combine(EtcFolder, "hosts"), ["127.0.0.1 localhost", .. entries.Select(e => $"{e.Address} {e.Names}")]);
    }

    /// <summary>Runs a command in the pod and returns its exit code and output (stdout, then stderr).</summary>
    public (int Code, string Output) Exec(params string[] command) => Checked(Command("ip", ["netns", "exec", Name, .. command]), command);

    public (int Code, string Output) TryExec(params string[] command) => Command("ip", ["netns", "exec", Name, .. command]);

    /// <summary>A long-running process in the pod, as <paramref name="uid"/> when given (the sidecar runs as 1337).</summary>
    public ChildProcess Start(string logPath, int? uid, IEnumerable<string> command, IDictionary<string, string>? environment = null)
    {
        List<string> arguments = ["netns", "exec", Name];
        if (uid is { } id) arguments.AddRange(["setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups"]);
        return new ChildProcess("ip", [.. arguments, .. command], logPath, environment);
    }

    private void Up(string device, string address)
    {
        Exec("ip", "addr", "add", address, "dev", device);
        Exec("ip", "link", "set", device, "up");
    }

    private static void Run(string file, params string[] arguments) => Checked(Command(file, arguments), arguments);

    private static (int Code, string Output) Checked((int Code, string Output) result, string[] command)
        => result.Code == 0 ? result : throw new InvalidOperationException($"`{string.Join(' ', command)}` failed ({result.Code}): {result.Output}");

    private static (int Code, string Output) Command(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(30_000)) process.Kill(entireProcessTree: true);
        return (process.ExitCode, output + error.Result);
    }

    public void Dispose()
    {
        // Deleting the namespace deletes the veth ends in it and so their peers; the host ends are deleted too in case
        // a pair never made it into the namespace.
        Command("ip", ["netns", "delete", Name]);
        foreach (var link in _hostLinks) Command("ip", ["link", "delete", link]);
        try { Directory.Delete(EtcFolder, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}

/// <summary>A test that needs root and <c>ip netns</c>; skipped with the reason otherwise.</summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (Pod.Unavailable() is { } reason) Skip = reason;
    }
}
