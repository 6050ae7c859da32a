namespace Mesh.Cli.Input;

/// <summary>Reads what <c>-f</c> names: a file, every .yaml/.yml/.json file of a folder, or standard input (<c>-</c>).</summary>
public static class ManifestSources
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <exception cref="UsageException">A path does not exist, or a folder holds no manifests.</exception>
    public static IReadOnlyList<(string Name, byte[] Content)> Read(IEnumerable<string> paths, bool recursive)
    {
        var result = new List<(string, byte[])>();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                using var stdin = Console.OpenStandardInput();
                using var buffer = new MemoryStream();
                stdin.CopyTo(buffer);
                result.Add(("<stdin>", buffer.ToArray()));
            }
            else if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0) throw new UsageException($"the folder {path} holds no .yaml, .yml or .json files");
                result.AddRange(files.Select(f => (f, File.ReadAllBytes(f))));
            }
            else if (File.Exists(path))
            {
                result.Add((path, File.ReadAllBytes(path)));
            }
            else
            {
                throw new UsageException($"the path \"{path}\" does not exist");
            }
        }
        return result;
    }
}

/// <summary>The user asked for something meshctl cannot do as asked; exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
