namespace Mesh.Config.Tests;

/// <summary>The YAML documents under Documents/valid and Documents/invalid, for table-driven tests.</summary>
public static class Documents
{
    public static string Directory(string kind) => Path.Combine(AppContext.BaseDirectory, "Documents", kind);

    public static IEnumerable<string> Names(string kind)
        => System.IO.Directory.GetFiles(Directory(kind), "*.yaml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static string Read(string kind, string name) => File.ReadAllText(Path.Combine(Directory(kind), name));

    public static TheoryData<string> Data(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var name in Names(kind)) data.Add(name);
        return data;
    }
}
