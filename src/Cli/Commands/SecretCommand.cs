using System.CommandLine;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Cli.Input;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl secret create tls | get | delete</c>: the TLS credentials gateways serve (a Gateway's
/// <c>credentialName</c>). What comes back is what a credential is, never its key or PEM.</summary>
public static class SecretCommand
{
    public static Command Create() => new("secret", "TLS credentials for gateways, stored encrypted in the control plane")
    {
        new Command("create", "Create or replace a credential") { CreateTls() },
        Get(),
        Delete(),
    };

    private static Command CreateTls()
    {
        var name = new Argument<string>("name") { Description = "the credential's name, as a Gateway's credentialName gives it" };
        var cert = new Option<string?>("--cert") { Description = "PEM file: the certificate, then its intermediates" };
        var key = new Option<string?>("--key") { Description = "PEM file: the certificate's private key (unencrypted; stored encrypted)" };
        var ca = new Option<string?>("--ca") { Description = "PEM file: the CA client certificates must chain to (MUTUAL); alone, for a NAME-cacert companion" };
        var ns = GlobalOptions.Namespace();
        var command = new Command("tls", "Create a TLS credential from a certificate and key, or replace the one of that name (like kubectl create secret tls)")
            { name, cert, key, ca, ns };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            var (certFile, keyFile, caFile) = (parse.GetValue(cert), parse.GetValue(key), parse.GetValue(ca));
            if ((certFile is null) != (keyFile is null))
            {
                throw new UsageException(certFile is null ? "--key needs --cert: the certificate the key belongs to" : "--cert needs --key: the certificate's private key");
            }
            if (certFile is null && caFile is null) throw new UsageException("give --cert and --key (a server certificate), or --ca alone (a client CA)");
            var request = new CreateSecretRequest
            {
                Namespace = parse.GetValue(ns) ?? "default",
                Name = parse.GetValue(name)!,
                TlsCrt = Read(certFile, "--cert"),
                TlsKey = Read(keyFile, "--key"),
                CaCrt = Read(caFile, "--ca"),
            };
            using var connection = GlobalOptions.Connect(parse);
            var response = await connection.Secrets.CreateAsync(request, connection.Call(cancellationToken, TimeSpan.FromSeconds(30)));
            Console.WriteLine(TerminalText.Of($"secret/{response.Secret.Name} {(response.Created ? "created" : "replaced")}"));
            return 0;
        }));
        return command;
    }

    private static Command Get()
    {
        var name = new Argument<string?>("name") { Description = "one credential's name", Arity = ArgumentArity.ZeroOrOne };
        var ns = GlobalOptions.Namespace();
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "list across all namespaces" };
        var output = new Option<string>("--output", "-o") { Description = "table (default), yaml or json" };
        output.AcceptOnlyFromAmong("table", "yaml", "json");
        var command = new Command("get", "Show one credential or list them (subject, names, validity; never the key)") { name, ns, all, output };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            var allNamespaces = parse.GetValue(all);
            if (allNamespaces && parse.GetValue(ns) is not null) throw new UsageException("use either --namespace or --all-namespaces, not both");
            var single = parse.GetValue(name);
            if (allNamespaces && single is not null) throw new UsageException("a NAME is looked up in one namespace: use --namespace, not --all-namespaces");
            var namespaceName = allNamespaces ? "" : parse.GetValue(ns) ?? "default";
            using var connection = GlobalOptions.Connect(parse);
            List<Secret> secrets = single is not null
                ? [await connection.Secrets.GetAsync(new GetSecretRequest { Namespace = namespaceName, Name = single }, connection.Call(cancellationToken))]
                : [.. (await connection.Secrets.ListAsync(new ListSecretsRequest { Namespace = namespaceName }, connection.Call(cancellationToken))).Secrets];
            var format = parse.GetValue(output) ?? "table";
            if (secrets.Count == 0 && format == "table")
            {
                await Console.Error.WriteLineAsync(allNamespaces ? "No secrets found" : $"No secrets found in {namespaceName} namespace.");
                return 0;
            }
            Console.Write(SecretOutput.Render(secrets, format, allNamespaces, single is not null, DateTimeOffset.UtcNow));
            return 0;
        }));
        return command;
    }

    private static Command Delete()
    {
        var name = new Argument<string>("name");
        var ns = GlobalOptions.Namespace();
        var ignoreNotFound = new Option<bool>("--ignore-not-found") { Description = "treat a missing credential as deleted" };
        var command = new Command("delete", "Delete a credential (gateways serving it stop serving that host over TLS)") { name, ns, ignoreNotFound };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            var request = new DeleteSecretRequest { Namespace = parse.GetValue(ns) ?? "default", Name = parse.GetValue(name)! };
            using var connection = GlobalOptions.Connect(parse);
            try
            {
                await connection.Secrets.DeleteAsync(request, connection.Call(cancellationToken, TimeSpan.FromSeconds(30)));
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound && parse.GetValue(ignoreNotFound))
            {
                return 0;
            }
            Console.WriteLine(TerminalText.Of($"secret \"{request.Name}\" deleted"));
            return 0;
        }));
        return command;
    }

    /// <summary>A PEM file's text; empty when the option was not given.</summary>
    private static string Read(string? file, string option)
    {
        if (file is null) return "";
        if (!File.Exists(file)) throw new UsageException($"{option} {file}: no such file");
        return File.ReadAllText(file);
    }
}
