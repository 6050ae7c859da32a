using System.CommandLine;
using System.Text.Json.Nodes;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Cli.Input;
using Mesh.Cli.Output;
using Mesh.Config.Manifests;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl get KIND [NAME]</c>: list or show resources as a table, YAML or JSON.</summary>
public static class GetCommand
{
    public static Command Create()
    {
        var kind = new Argument<string>("kind") { Description = "virtualservice (vs), destinationrule (dr), serviceentry (se), ..." };
        var name = new Argument<string?>("name") { Description = "one resource's name", Arity = ArgumentArity.ZeroOrOne };
        var ns = GlobalOptions.Namespace();
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "list across all namespaces" };
        var output = OutputOption();
        var selector = new Option<string>("--selector", "-l") { Description = "label selector, like app=reviews,version!=v1,track in (stable,beta)" };
        var fieldSelector = new Option<string>("--field-selector") { Description = "field selector on metadata.name or metadata.namespace, like metadata.name!=reviews" };
        var paging = ListPaging.Options();
        var watch = new Option<bool>("--watch", "-w") { Description = "after listing, print changes as they happen" };
        var command = new Command("get", "Show one resource or list them") { kind, name, ns, all, output, selector, fieldSelector, paging.Limit, paging.ChunkSize, paging.Continue, watch };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            var resolved = KindArgument.Resolve(parse.GetValue(kind));
            var format = parse.GetValue(output) ?? "table";
            var allNamespaces = parse.GetValue(all);
            if (allNamespaces && parse.GetValue(ns) is not null) throw new UsageException("use either --namespace or --all-namespaces, not both");
            var namespaceName = allNamespaces ? "" : parse.GetValue(ns) ?? "default";
            using var connection = GlobalOptions.Connect(parse);
            List<ConfigResource> items;
            var single = parse.GetValue(name);
            if (single is not null)
            {
                items = [await connection.Api.GetAsync(new GetRequest { Kind = resolved.Kind, Namespace = namespaceName, Name = single }, connection.Call(cancellationToken))];
            }
            else
            {
                var request = new ListRequest { Kind = resolved.Kind, Namespace = namespaceName, LabelSelector = parse.GetValue(selector) ?? "", FieldSelector = parse.GetValue(fieldSelector) ?? "" };
                items = await paging.Read(parse, connection, request, cancellationToken);
                if (items.Count == 0 && format == "table" && !parse.GetValue(watch))
                {
                    await Console.Error.WriteLineAsync(allNamespaces ? "No resources found" : $"No resources found in {namespaceName} namespace.");
                    return 0;
                }
            }
            Console.Write(Render(items, format, allNamespaces, single is not null));
            if (parse.GetValue(watch))
            {
                await Watch(connection, resolved.Kind, namespaceName, format, allNamespaces, cancellationToken);
            }
            return 0;
        }));
        return command;
    }

    internal static Option<string> OutputOption()
    {
        var output = new Option<string>("--output", "-o") { Description = "table (default), yaml or json" };
        output.AcceptOnlyFromAmong("table", "wide", "yaml", "json", "name");
        return output;
    }

    internal static string Render(IReadOnlyList<ConfigResource> items, string format, bool allNamespaces, bool single) => format switch
    {
        "yaml" => ManifestWriter.ToYaml(items.Select(ResourceDocuments.ToDocument)),
        "json" => ManifestWriter.ToJson(single && items.Count == 1
            ? ResourceDocuments.ToDocument(items[0])
            : new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. items.Select(ResourceDocuments.ToDocument)]) }) + "\n",
        "name" => string.Concat(items.Select(i => KindArgument.Qualified(i.Kind, i.Metadata.Name) + "\n")),
        _ => ResourceTable.Render(items, allNamespaces),
    };

    private static async Task Watch(Client.MeshConnection connection, string kind, string ns, string format, bool allNamespaces, CancellationToken cancellationToken)
    {
        using var call = connection.Api.Watch(new WatchRequest { Kind = kind, Namespace = ns }, connection.Call(cancellationToken));
        try
        {
            await foreach (var change in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                Console.Write(format == "table"
                    ? TerminalText.Of($"{change.Type,-9} ") + ResourceTable.Render([change.Resource], allNamespaces).Split('\n')[1] + "\n"
                    : Render([change.Resource], format, allNamespaces, true));
            }
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.Cancelled) { }
    }
}
