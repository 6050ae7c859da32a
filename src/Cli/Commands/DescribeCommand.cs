using System.CommandLine;
using System.Text;
using Mesh.Api.V1;
using Mesh.Cli.Output;
using Mesh.Config.Manifests;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl describe KIND NAME</c>: a resource for people to read.</summary>
public static class DescribeCommand
{
    public static Command Create()
    {
        var kind = new Argument<string>("kind");
        var name = new Argument<string>("name");
        var ns = GlobalOptions.Namespace();
        var command = new Command("describe", "Show a resource in detail") { kind, name, ns };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            var resolved = KindArgument.Resolve(parse.GetValue(kind));
            using var connection = GlobalOptions.Connect(parse);
            var request = new GetRequest { Kind = resolved.Kind, Namespace = parse.GetValue(ns) ?? "default", Name = parse.GetValue(name)! };
            var resource = await connection.Api.GetAsync(request, connection.Call(cancellationToken));
            var history = await connection.Api.HistoryAsync(new HistoryRequest { Kind = request.Kind, Namespace = request.Namespace, Name = request.Name }, connection.Call(cancellationToken));
            Console.Write(Render(resource, history.Versions.Count));
            return 0;
        }));
        return command;
    }

    private static string Render(ConfigResource resource, int versions)
    {
        var m = resource.Metadata;
        var text = new StringBuilder();
        text.AppendLine(TerminalText.Of($"Name:             {m.Name}"));
        text.AppendLine(TerminalText.Of($"Namespace:        {m.Namespace}"));
        text.AppendLine($"Labels:           {Pairs(m.Labels)}");
        text.AppendLine($"Annotations:      {Pairs(m.Annotations)}");
        text.AppendLine(TerminalText.Of($"API Version:      {resource.ApiVersion}"));
        text.AppendLine(TerminalText.Of($"Kind:             {resource.Kind}"));
        text.AppendLine(TerminalText.Of($"Resource Version: {m.ResourceVersion}"));
        text.AppendLine($"Generation:       {m.Generation}");
        text.AppendLine(TerminalText.Of($"UID:              {m.Uid}"));
        text.AppendLine($"Created:          {m.CreationTimestamp?.ToDateTimeOffset():u}");
        text.AppendLine($"Updated:          {m.UpdateTimestamp?.ToDateTimeOffset():u}");
        text.AppendLine(TerminalText.Of($"Versions kept:    {versions} (meshctl history {resource.Kind.ToLowerInvariant()} {m.Name} -n {m.Namespace})"));
        text.AppendLine("Spec:");
        foreach (var line in ManifestWriter.ToYaml([ResourceDocuments.Spec(resource)]).Split('\n').Where(l => l.Length > 0 && l != "---"))
        {
            text.AppendLine($"  {line}");
        }
        return text.ToString();
    }

    private static string Pairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var list = pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => TerminalText.Of($"{p.Key}={p.Value}")).ToList();
        return list.Count == 0 ? "<none>" : string.Join("\n                  ", list);
    }
}
