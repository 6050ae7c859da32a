using System.Text;

namespace Mesh.Config.Tests.Fuzzing;

/// <summary>Mutates a manifest's text: document separators, many tiny documents, flipped and inserted bytes,
/// truncation, tabs, aliases.</summary>
internal sealed class TextMutator(Random random)
{
    public (byte[] Bytes, string Description) Mutate(string text)
    {
        switch (random.Next(9))
        {
            case 0:
                return (Encoding.UTF8.GetBytes(InsertLines(text, random.Next(2) == 0 ? "---" : "...", random.Next(1, 20))), "separators inserted");
            case 1:
                var tiny = random.Next(2) == 0 ? "a: 1\n...\n" : "--- {a: 1}\n";
                var count = random.Next(900, 3000);
                return (Encoding.UTF8.GetBytes(text + "\n---\n" + string.Concat(Enumerable.Repeat(tiny, count))), $"{count} tiny documents");
            case 2:
                var bytes = Encoding.UTF8.GetBytes(text);
                for (var i = random.Next(1, 8); i > 0 && bytes.Length > 0; i--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return (bytes, "bytes flipped");
            case 3:
                var whole = Encoding.UTF8.GetBytes(text);
                return (whole[..random.Next(whole.Length + 1)], "truncated");
            case 4:
                var junk = new byte[random.Next(1, 64)];
                random.NextBytes(junk);
                var source = Encoding.UTF8.GetBytes(text);
                var at = random.Next(source.Length + 1);
                return ([.. source[..at], .. junk, .. source[at..]], "random bytes inserted");
            case 5:
                return (Encoding.UTF8.GetBytes(text.Replace("\n  ", "\n\t", StringComparison.Ordinal)), "tabs for indentation");
            case 6:
                var copies = random.Next(2, 30);
                return (Encoding.UTF8.GetBytes(string.Join("---\n", Enumerable.Repeat(text, copies))), $"{copies} copies");
            case 7:
                return (Encoding.UTF8.GetBytes("x: &a [" + string.Join(",", Enumerable.Repeat("\"lol\"", 20)) + "]\ny: [" +
                                                string.Join(",", Enumerable.Repeat("*a", random.Next(10, 10_000))) + "]\n---\n" + text), "aliases");
            default:
                return (Encoding.UTF8.GetBytes(InsertLines(text, "%YAML 1.2", 1)), "directive inserted");
        }
    }

    private string InsertLines(string text, string line, int count)
    {
        var lines = text.Split('\n').ToList();
        for (var i = 0; i < count; i++) lines.Insert(random.Next(lines.Count + 1), line);
        return string.Join('\n', lines);
    }
}
