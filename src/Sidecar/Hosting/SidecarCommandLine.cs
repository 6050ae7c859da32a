using System.CommandLine;
using Mesh.Config.Text;
using static Mesh.Sidecar.Hosting.CommandLineValues;

namespace Mesh.Sidecar.Hosting;

/// <summary>Flags, each with an environment variable (<c>MESH_</c> and the flag in capitals: <c>--app-port</c> is
/// <c>MESH_APP_PORT</c>; repeated values comma-separated). A flag wins over its variable.</summary>
public static class SidecarCommandLine
{
    private static readonly Option<string?> Mode = Single("--mode", "sidecar (default): in front of an application; gateway: at the edge, serving --listen ports");
    private static readonly Option<string?> Listen = Single("--listen", "gateway mode: the ports to serve, PORT[,PORT...] (one listener each from the control plane)");
    private static readonly Option<string[]> Xds = Repeated("--xds", "xDS server HOST:PORT (repeat for several; any of them will do)");
    private static readonly Option<string?> Namespace = Single("--namespace", "the workload's namespace (default: default)");
    private static readonly Option<string?> ServiceAccount = Single("--service-account", "the workload's service account (default: default)");
    private static readonly Option<string?> Workload = Single("--workload", "the workload instance's name, as a pod's (default: the host name)");
    private static readonly Option<string?> Labels = Single("--labels", "the workload's labels, k=v,k2=v2");
    private static readonly Option<string?> AppPort = Single("--app-port", "the application's port on 127.0.0.1; inbound traffic goes there");
    private static readonly Option<string[]> ServicePorts = Repeated("--service-port", "a service port this workload serves, [NAME=]NUMBER (name default http); repeat for several");
    private static readonly Option<string?> Address = Single("--address", "the address other sidecars reach this one on (default 127.0.0.1)");
    private static readonly Option<string?> Locality = Single("--locality", "region/zone/subzone, for locality-aware load balancing");
    private static readonly Option<string?> OutboundPort = Single("--outbound-port", "outbound listener and HTTP proxy (default 15001)");
    private static readonly Option<string?> InboundPort = Single("--inbound-port", "inbound listener (default 15006)");
    private static readonly Option<string?> AdminPort = Single("--admin-port", "admin: /config_dump, /clusters, /stats, /ready (default 15000)");
    private static readonly Option<string?> HealthPort = Single("--health-port", $"health: {Mesh.Config.Keys.AppHealth.ReadyPath} (default 15021)");
    private static readonly Option<string?> MetricsPort = Single("--metrics-port", "Prometheus /stats/prometheus and /metrics (default 15090)");
    private static readonly Option<string?> DrainTimeout = Single("--drain-timeout", "how long a graceful stop waits for requests in flight (default 5s)");
    private static readonly Option<string?> DiscoveryTimeout = Single("--discovery-timeout", "how long a first request to a host waits for its config (default 5s)");
    private static readonly Option<string?> AccessLog = Single("--access-log", "stdout (default), off, or a file path");
    private static readonly Option<string?> TokenFile = Single("--token-file", "bootstrap token (meshctl token create) or service-account token: the sidecar gets a workload certificate over the secured xDS port and speaks mTLS");
    private static readonly Option<string?> RootCert = Single("--root-cert", "PEM roots that sign the control plane's certificate (meshctl ca show --pem); needed with --token-file");
    private static readonly Option<string?> CertTtl = Single("--cert-ttl", "workload certificate lifetime to ask for (default: the CA's, 24h); renewed at half-life");
    private static readonly Option<string?> SdsSocket = Single("--sds-socket", "serve SDS (default and ROOTCA) to local consumers on this Unix socket");

    public static RootCommand Command { get; } = Root();

    private static RootCommand Root()
    {
        var root = new RootCommand("mesh-sidecar: Mesh's data-plane proxy, configured over xDS")
        {
            Mode, Listen, Xds, Namespace, ServiceAccount, Workload, Labels, AppPort, ServicePorts, Address, Locality,
            OutboundPort, InboundPort, AdminPort, HealthPort, MetricsPort, DrainTimeout, DiscoveryTimeout, AccessLog,
            TokenFile, RootCert, CertTtl, SdsSocket,
            Capture.CaptureCommandLine.Command,
            Health.WaitCommandLine.Command,
        };
        // The proxy itself is the root's action (Program runs it); without one, a root with a subcommand would
        // demand the subcommand.
        root.SetAction(_ => 0);
        return root;
    }

    /// <summary>The options, or every problem with the flags, each naming the flag and what to do.</summary>
    public static (SidecarOptions? Options, IReadOnlyList<string> Errors) Parse(ParseResult result, Func<string, string?> environment)
    {
        var errors = result.Errors.Select(e => e.Message).ToList();
        string? Value(Option<string?> option) => result.GetValue(option) ?? environment(Variable(option));
        IReadOnlyList<string> Values(Option<string[]> option)
        {
            var given = result.GetValue(option) ?? [];
            if (given.Length > 0) return given;
            return (environment(Variable(option)) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }
        int Port(Option<string?> option, int fallback)
        {
            var text = Value(option);
            if (text is null) return fallback;
            if (PortNumber.Parse(text) is { } port) return port;
            errors.Add($"{option.Name}: \"{text}\" is not a port (1-65535)");
            return fallback;
        }
        TimeSpan Duration(Option<string?> option, TimeSpan fallback)
        {
            var text = Value(option);
            if (text is null) return fallback;
            if (Mesh.Config.Text.GoDuration.Nanoseconds(text) is { } nanos && nanos > 0) return TimeSpan.FromTicks((long)(nanos / 100));
            errors.Add($"{option.Name}: \"{text}\" is not a duration such as 5s or 500ms");
            return fallback;
        }

        var servers = Values(Xds);
        if (servers.Count == 0) errors.Add("--xds: at least one xDS server HOST:PORT is required (or set MESH_XDS)");
        foreach (var server in servers)
        {
            if (!TryEndpoint(server, out _, out _)) errors.Add($"--xds: \"{server}\" is not HOST:PORT");
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (Value(Labels) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) errors.Add($"--labels: \"{pair}\" is not key=value");
            else labels[pair[..equals]] = pair[(equals + 1)..];
        }
        var servicePorts = new List<WorkloadPort>();
        foreach (var text in Values(ServicePorts))
        {
            var equals = text.IndexOf('=');
            var name = equals > 0 ? text[..equals] : "http";
            var number = equals > 0 ? text[(equals + 1)..] : text;
            if (PortNumber.Parse(number) is { } port) servicePorts.Add(new WorkloadPort(name, port));
            else errors.Add($"--service-port: \"{text}\" is not [NAME=]NUMBER");
        }
        int? appPort = Value(AppPort) is null ? null : Port(AppPort, 0);
        if (servicePorts.Count > 0 && appPort is null) errors.Add("--service-port needs --app-port: inbound traffic for the service goes to the application");
        var mode = Value(Mode) switch
        {
            null or "sidecar" => ProxyMode.Sidecar,
            "gateway" => ProxyMode.Gateway,
            var other => Invalid($"--mode: \"{other}\" is not a mode (sidecar or gateway)"),
        };
        ProxyMode Invalid(string error)
        {
            errors.Add(error);
            return ProxyMode.Sidecar;
        }
        var listen = new List<int>();
        foreach (var text in (Value(Listen) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (PortNumber.Parse(text) is { } port) listen.Add(port);
            else errors.Add($"--listen: \"{text}\" is not a port (1-65535)");
        }
        if (listen.Distinct().Count() != listen.Count) errors.Add("--listen: a port is listed twice");
        if (mode == ProxyMode.Gateway)
        {
            if (Value(Listen) is null) errors.Add("--listen: gateway mode needs the ports to serve, PORT[,PORT...] (or set MESH_LISTEN)");
            // A gateway is not in front of an application: what only a sidecar has is refused rather than ignored.
            foreach (var option in new[] { AppPort, OutboundPort, InboundPort })
            {
                if (Value(option) is not null) errors.Add($"{option.Name}: a gateway has no application, outbound or inbound listener; leave it out in gateway mode");
            }
            if (servicePorts.Count > 0) errors.Add("--service-port: a gateway has no application, outbound or inbound listener; leave it out in gateway mode");
        }
        else if (Value(Listen) is not null)
        {
            errors.Add("--listen is for gateway mode only (add --mode gateway)");
        }

        var (appProbers, proberErrors) = Health.AppProbers.Parse(environment(Mesh.Config.Keys.AppHealth.ProbersVariable));
        errors.AddRange(proberErrors);
        var options = new SidecarOptions
        {
            Mode = mode,
            ListenPorts = listen,
            XdsServers = servers,
            Namespace = Value(Namespace) ?? "default",
            ServiceAccount = Value(ServiceAccount) ?? "default",
            Workload = Value(Workload) ?? Environment.MachineName.ToLowerInvariant(),
            Labels = labels,
            AppPort = appPort,
            ServicePorts = servicePorts,
            Address = Value(Address) ?? "127.0.0.1",
            Locality = Value(Locality) ?? "",
            OutboundPort = Port(OutboundPort, 15001),
            InboundPort = Port(InboundPort, 15006),
            AdminPort = Port(AdminPort, 15000),
            HealthPort = Port(HealthPort, 15021),
            MetricsPort = Port(MetricsPort, 15090),
            DrainTimeout = Duration(DrainTimeout, TimeSpan.FromSeconds(5)),
            DiscoveryTimeout = Duration(DiscoveryTimeout, TimeSpan.FromSeconds(5)),
            AccessLog = Value(AccessLog) ?? "stdout",
            TokenFile = Value(TokenFile),
            RootCertFile = Value(RootCert),
            CertLifetime = Value(CertTtl) is null ? null : Duration(CertTtl, TimeSpan.Zero),
            SdsSocket = Value(SdsSocket),
            AppProbers = appProbers,
        };
        if (options.TokenFile is not null && options.RootCertFile is null) errors.Add("--token-file needs --root-cert: the roots that sign the control plane's certificate (meshctl ca show --pem > root.pem)");
        if (options.TokenFile is not null && !File.Exists(options.TokenFile)) errors.Add($"--token-file: {options.TokenFile} does not exist (create one with meshctl token create -o FILE)");
        if (options.RootCertFile is not null && !File.Exists(options.RootCertFile)) errors.Add($"--root-cert: {options.RootCertFile} does not exist (meshctl ca show --pem > root.pem)");
        if (options.Gateway)
        {
            var ports = new[] { options.AdminPort, options.HealthPort, options.MetricsPort }.Concat(listen.Distinct()).ToList();
            if (ports.Distinct().Count() != ports.Count) errors.Add("the --listen, admin, health and metrics ports must all differ");
        }
        else
        {
            var ports = new[] { options.OutboundPort, options.InboundPort, options.AdminPort, options.HealthPort, options.MetricsPort };
            if (ports.Distinct().Count() != ports.Length) errors.Add("the outbound, inbound, admin, health and metrics ports must all differ");
        }
        return (errors.Count == 0 ? options : null, errors);
    }

    public static bool TryEndpoint(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0) return false;
        host = text[..colon].Trim('[', ']');
        port = PortNumber.Parse(text[(colon + 1)..]) ?? 0;
        return port > 0;
    }

    private static string Variable(Option option) => "MESH_" + option.Name.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    private static Option<string[]> Repeated(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
