using System.CommandLine;
using Mesh.Api.V1;
using Mesh.Cli.Input;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl delete KIND NAME -n NS</c> or <c>meshctl delete -f FILE</c>.</summary>
public static class DeleteCommand
{
    public static Command Create()
    {
        var kind = new Argument<string?>("kind") { Arity = ArgumentArity.ZeroOrOne };
        var names = new Argument<string[]>("name") { Arity = ArgumentArity.ZeroOrMore };
        var files = new Option<string[]>("--filename", "-f") { Description = "delete the resources a file, folder or - names" };
        var ns = GlobalOptions.Namespace();
        var ignoreNotFound = new Option<bool>("--ignore-not-found") { Description = "treat a missing resource as deleted" };
        var dryRun = new Option<bool>("--dry-run") { Description = "report what would be deleted" };
        var command = new Command("delete", "Delete resources by kind and name, or those a file names") { kind, names, files, ns, ignoreNotFound, dryRun };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            var targets = Targets(parse.GetValue(kind), parse.GetValue(names) ?? [], parse.GetValue(files) ?? [], parse.GetValue(ns) ?? "default");
            using var connection = GlobalOptions.Connect(parse);
            var failed = false;
            foreach (var (resourceKind, resourceNamespace, name) in targets)
            {
                try
                {
                    await connection.Api.DeleteAsync(new DeleteRequest { Kind = resourceKind.Kind, Namespace = resourceNamespace, Name = name, DryRun = parse.GetValue(dryRun) }, connection.Call(cancellationToken));
                    Console.WriteLine(TerminalText.Of($"{resourceKind.QualifiedName} \"{name}\" deleted{(parse.GetValue(dryRun) ? " (server dry run)" : "")}"));
                }
                catch (Grpc.Core.RpcException exception) when (exception.StatusCode == Grpc.Core.StatusCode.NotFound)
                {
                    if (parse.GetValue(ignoreNotFound)) continue;
                    failed = true;
                    await Console.Error.WriteLineAsync(TerminalText.Of($"error: {exception.Status.Detail}"));
                }
            }
            return failed ? 1 : 0;
        }));
        return command;
    }

    private static List<(ResourceKind, string, string)> Targets(string? kind, string[] names, string[] files, string ns)
    {
        if (files.Length > 0)
        {
            if (kind is not null) throw new UsageException("use either -f FILE or KIND NAME, not both");
            var targets = new List<(ResourceKind, string, string)>();
            foreach (var (source, content) in ManifestSources.Read(files, recursive: false))
            {
                foreach (var document in ManifestParser.Parse(content))
                {
                    if (document.Root is null) throw new UsageException($"{source}: document {document.Index + 1} cannot be read: {string.Join("; ", document.Errors)}");
                    var apiVersion = document.Root["apiVersion"]?.ToString() ?? "";
                    var kindName = document.Root["kind"]?.ToString() ?? "";
                    var resolved = ResourceKinds.FromDocument(apiVersion, kindName)
                        ?? throw new UsageException($"{source}: document {document.Index + 1}: Mesh does not serve {kindName} ({apiVersion})");
                    var name = document.Root["metadata"]?["name"]?.ToString() ?? throw new UsageException($"{source}: document {document.Index + 1} has no metadata.name");
                    targets.Add((resolved, document.Root["metadata"]?["namespace"]?.ToString() ?? ns, name));
                }
            }
            return targets;
        }
        if (kind is null) throw new UsageException("say what to delete: meshctl delete KIND NAME [-n NS], or meshctl delete -f FILE");
        if (names.Length == 0) throw new UsageException($"name the {kind} to delete: meshctl delete {kind} NAME");
        var resolvedKind = KindArgument.Resolve(kind);
        return [.. names.Select(name => (resolvedKind, ns, name))];
    }
}
