namespace Mesh.Config.Manifests;

/// <summary>Cuts a manifest at its <c>---</c> lines, so that a broken document cannot take its neighbours down with it
/// and each one can be measured against the limits before it is parsed.</summary>
internal static class DocumentSplitter
{
    /// <summary>A document's text (starting with its <c>---</c> line, if any) and the line it starts at, from 1.</summary>
    public readonly record struct Chunk(string Text, int Line);

    public static IEnumerable<Chunk> Split(string text)
    {
        var start = 0;
        var startLine = 1;
        var line = 1;
        var position = 0;
        while (position < text.Length)
        {
            var end = text.IndexOf('\n', position);
            var next = end < 0 ? text.Length : end + 1;
            if (position > start && IsSeparator(text.AsSpan(position, next - position)))
            {
                yield return new Chunk(text[start..position], startLine);
                start = position;
                startLine = line;
            }
            position = next;
            line++;
        }
        yield return new Chunk(text[start..], startLine);
    }

    private static bool IsSeparator(ReadOnlySpan<char> line)
        => line.StartsWith("---") && (line.Length == 3 || line[3] is ' ' or '\t' or '\r' or '\n');
}
