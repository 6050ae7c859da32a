using System.CommandLine;
using Mesh.Cli.Commands;

var root = new RootCommand("meshctl: manage Mesh, the service mesh whose control plane is an Orleans cluster")
{
    GlobalOptions.Server,
    GlobalOptions.Token,
};
root.Subcommands.Add(ApplyCommand.Create());
root.Subcommands.Add(GetCommand.Create());
root.Subcommands.Add(DeleteCommand.Create());
root.Subcommands.Add(DescribeCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(HistoryCommand.Create());
root.Subcommands.Add(EndpointsCommand.Create());
root.Subcommands.Add(ProxyStatusCommand.Create());
root.Subcommands.Add(ProxyConfigCommand.Create());
root.Subcommands.Add(TopCommand.Create());
root.Subcommands.Add(TokenCommand.Create());
root.Subcommands.Add(CaCommand.Create());
root.Subcommands.Add(CertCommand.Create());
root.Subcommands.Add(SecretCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(ManifestCommand.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }
    Console.Error.WriteLine("Run 'meshctl --help' for usage.");
    return 2;
}
return await parse.InvokeAsync();
