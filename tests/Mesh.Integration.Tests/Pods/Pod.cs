using System.Diagnostics;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Pods;

/// <summary>A network namespace standing in for a pod: its own interfaces, routes, iptables and
/// <c>/etc/netns/NAME/hosts</c> (which <c>ip netns exec</c> mounts over /etc/hosts), and the processes started in it.
/// Disposing stops those processes, then deletes the namespace (and with it its capture rules), the host end of its
/// link and its /etc/netns folder.</summary>
public sealed class Pod : IDisposable
{
    /// <summary>The sidecar's uid, which capture's owner rule lets through (Istio's 1337).</summary>
    public const int ProxyUid = 1337;

    private readonly List<ChildProcess> _processes = [];
    private (string Host, string Pod)? _hostLink;

    public Pod(string name)
    {
        Name = name;
        Run("ip", "netns", "add", name);
        try
        {
            Exec("ip", "link", "set", "lo", "up");
        }
        catch
        {
            Dispose();
            throw;
        }
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
        _hostLink = (hostEnd, podEnd);
        Run("ip", "link", "set", podEnd, "netns", Name);
        Run("ip", "addr", "add", hostAddress, "dev", hostEnd);
        Run("ip", "link", "set", hostEnd, "up");
        Up(podEnd, podAddress);
    }

    /// <summary>IPv6 addresses (CIDR) on both ends of the link to the host made by <see cref="LinkToHost"/>, usable at
    /// once (no duplicate address detection to wait for).</summary>
    public void Ipv6ToHost(string hostAddress, string podAddress)
    {
        var (hostEnd, podEnd) = _hostLink ?? throw new InvalidOperationException($"{Name} has no link to the host");
        Run("ip", "addr", "add", hostAddress, "dev", hostEnd, "nodad");
        Exec("ip", "addr", "add", podAddress, "dev", podEnd, "nodad");
    }

    /// <summary>A veth pair between two pods, as their shared pod network.</summary>
    public void LinkTo(Pod other, string end, string address, string otherEnd, string otherAddress)
    {
        Run("ip", "link", "add", end, "type", "veth", "peer", "name", otherEnd);
        try
        {
            Run("ip", "link", "set", end, "netns", Name);
            Run("ip", "link", "set", otherEnd, "netns", other.Name);
        }
        catch
        {
            // Whichever end is still in the host namespace; deleting one end deletes the pair.
            Command("ip", ["link", "delete", end]);
            Command("ip", ["link", "delete", otherEnd]);
            throw;
        }
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

    /// <summary>What istio-init does: <c>mesh-sidecar capture</c>'s rules, installed as root before the sidecar starts.</summary>
    public void Capture()
    {
        var sidecar = Repository.Sidecar;
        Exec([sidecar.FileName, .. sidecar.Arguments, "capture", "--proxy-uid", ProxyUid.ToString()]);
    }

    /// <summary>Runs a command in the pod as root and returns its exit code and output (stdout, then stderr); throws
    /// unless it succeeds.</summary>
    public (int Code, string Output) Exec(params string[] command) => Checked(Command("ip", InPod(uid: null, command)), command);

    public (int Code, string Output) TryExec(params string[] command) => Command("ip", InPod(uid: null, command));

    public (int Code, string Output) TryExecAs(int uid, params string[] command) => Command("ip", InPod(uid, command));

    /// <summary>curl in the pod as its app: no proxy settings, nothing about the mesh; status 0 when curl got none.</summary>
    public Curl.Reply Curl(string url, params string[] options)
    {
        var (_, output) = TryExec(["curl", "-s", "--noproxy", "*", "--max-time", "10", "-w", "\n%{http_code}", .. options, url]);
        var newline = output.LastIndexOf('\n');
        return new Curl.Reply(int.TryParse(output[(newline + 1)..], out var status) ? status : 0, output[..Math.Max(newline, 0)]);
    }

    /// <summary>A long-running process in the pod, stopped when the pod is disposed. As <paramref name="uid"/> when given
    /// (the sidecar runs as 1337), with a home of its own it can write (.NET wants one) next to its log.</summary>
    public ChildProcess Start(string logPath, int? uid, IEnumerable<string> command, IDictionary<string, string>? environment = null)
    {
        if (uid is not null)
        {
            var home = Directory.CreateDirectory(Path.ChangeExtension(logPath, ".home")).FullName;
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);
            environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home };
        }
        var process = new ChildProcess("ip", InPod(uid, command), logPath, environment);
        _processes.Add(process);
        return process;
    }

    private List<string> InPod(int? uid, IEnumerable<string> command)
    {
        List<string> arguments = ["netns", "exec", Name];
        if (uid is { } id) arguments.AddRange(["setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups"]);
        arguments.AddRange(command);
        return arguments;
    }

    private void Up(string device, string address)
    {
        Exec("ip", "addr", "add", address, "dev", device);
        Exec("ip", "link", "set", device, "up");
    }

    private static void Run(string file, params string[] arguments) => Checked(Command(file, arguments), arguments);

    private static (int Code, string Output) Checked((int Code, string Output) result, IEnumerable<string> command)
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
        // The processes first: a process keeps its namespace alive after `ip netns delete`. Deleting the namespace
        // deletes the veth ends in it and so their peers; the host end is deleted too in case a pair never made it in.
        for (var i = _processes.Count - 1; i >= 0; i--) _processes[i].Dispose();
        _processes.Clear();
        Command("ip", ["netns", "delete", Name]);
        if (_hostLink is { } link) Command("ip", ["link", "delete", link.Host]);
        try { Directory.Delete(EtcFolder, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
