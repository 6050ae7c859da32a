using System.CommandLine;
using Mesh.Kubernetes.Crds;

namespace Mesh.Cli.Commands;

/// <summary><c>meshctl manifest crds [-o FILE]</c>: the CustomResourceDefinitions of Istio's kinds and Mesh's own,
/// generated from Mesh's validation schema (what <c>deploy/k8s/crds.yaml</c> holds). Offline, no server.</summary>
public static class ManifestCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "write to this file instead of stdout" };
        var crds = new Command("crds", "Print the CustomResourceDefinitions generated from Mesh's schema") { output };
        crds.SetAction((parse, cancellationToken) => GlobalOptions.Run(parse, async () =>
        {
            var yaml = CustomResourceDefinitions.Yaml();
            if (parse.GetValue(output) is { Length: > 0 } file) await File.WriteAllTextAsync(file, yaml, cancellationToken);
            else await Console.Out.WriteAsync(yaml);
            return 0;
        }));
        return new Command("manifest", "Print Kubernetes manifests Mesh generates") { crds };
    }
}
