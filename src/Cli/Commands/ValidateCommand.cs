using System.CommandLine;
using Mesh.Cli.Input;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;
using Mesh.Cli.Output;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl validate -f FILE</c>: the server's validation, offline. References are checked against
/// the other documents given.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var files = ApplyCommand.FileOption();
        var ns = GlobalOptions.Namespace();
        var recursive = new Option<bool>("--recursive", "-R") { Description = "read folders recursively" };
        var command = new Command("validate", "Validate manifests offline, without a server") { files, ns, recursive };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            var defaultNamespace = parse.GetValue(ns) ?? "default";
            var results = new List<(string Source, ValidationResult Result)>();
            var errors = 0;
            foreach (var (source, content) in ManifestSources.Read(parse.GetValue(files) ?? [], parse.GetValue(recursive)))
            {
                var documents = ManifestParser.Parse(content);
                if (documents.Count == 0)
                {
                    await Console.Error.WriteLineAsync(TerminalText.Of($"error: {source}: holds no documents"));
                    errors++;
                }
                foreach (var document in documents)
                {
                    if (document.Root is null || document.Errors.Count > 0)
                    {
                        foreach (var error in document.Errors) await Console.Error.WriteLineAsync(TerminalText.Of($"error: {source}: document {document.Index + 1}: {error}"));
                        errors += Math.Max(1, document.Errors.Count);
                        continue;
                    }
                    results.Add((source, ResourceValidator.Validate(document.Root, defaultNamespace, document.Index)));
                }
            }
            var lookup = new ManifestOnlyLookup([.. results.Where(r => r.Result.IsValid).Select(r => r.Result.Resource!)]);
            foreach (var (source, result) in results)
            {
                foreach (var error in result.Errors) await Console.Error.WriteLineAsync(TerminalText.Of($"error: {result.DisplayName}: {error}"));
                errors += result.Errors.Count;
                if (!result.IsValid) continue;
                var warnings = await ReferenceChecker.CheckAsync(result.Resource!, lookup, cancellationToken);
                foreach (var warning in warnings) await Console.Error.WriteLineAsync(TerminalText.Of($"Warning: {result.DisplayName}: {warning}"));
                Console.WriteLine(TerminalText.Of($"{KindArgument.Qualified(result.Resource!.Kind.Kind, result.Resource.Metadata.Name)} valid ({source})"));
            }
            return errors > 0 ? 1 : 0;
        }));
        return command;
    }

    private sealed class ManifestOnlyLookup(IReadOnlyList<Resource> resources) : IConfigLookup
    {
        public ValueTask<IReadOnlyList<Resource>> ListAsync(string kind, string? @namespace, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<Resource>>([.. resources.Where(r => r.Kind.Kind == kind && (@namespace is null || r.Metadata.Namespace == @namespace))]);
    }
}
