namespace Mesh.Config.Manifests;

/// <summary>Cuts a manifest into its documents at the lines YAML reserves for that: a <c>---</c> line starts a
/// document, a <c>...</c> line ends one (and whatever follows it is a new, bare document). A broken document then
/// cannot take its neighbours down with it, and the documents can be counted and measured against the limits before
/// any of them is parsed.</summary>
internal static class DocumentSplitter
{
    /// <summary>A document's text (starting with its <c>---</c> line, if any) and the line it starts at, from 1.
    /// <see cref="HasContent"/> is false for a chunk of only blank lines, comments and markers, which need no reading.</summary>
    public readonly record struct Chunk(string Text, int Line, bool HasContent);

    public static IEnumerable<Chunk> Split(string text)
    {
        var start = 0;
        var startLine = 1;
        var line = 1;
        var position = 0;
        var hasContent = false;
        var directivesOnly = false;
        while (position < text.Length)
        {
            var end = text.IndexOf('\n', position);
            var next = end < 0 ? text.Length : end + 1;
            var current = text.AsSpan(position, next - position);
            if (IsMarker(current, "---"))
            {
                // The marker line belongs to the document it opens ("--- {a: 1}" carries content on the same line), and
                // so do the directives (%YAML, %TAG) before it.
                if (!directivesOnly)
                {
                    if (position > start) yield return new Chunk(text[start..position], startLine, hasContent);
                    start = position;
                    startLine = line;
                }
                hasContent = directivesOnly || IsContent(text.AsSpan(position + 3, next - position - 3));
                directivesOnly = false;
            }
            else if (IsMarker(current, "..."))
            {
                yield return new Chunk(text[start..next], startLine, hasContent);
                start = next;
                startLine = line + 1;
                hasContent = false;
                directivesOnly = false;
            }
            else if (IsContent(current))
            {
                directivesOnly = text[position] == '%' && (directivesOnly || !hasContent);
                hasContent = true;
            }
            position = next;
            line++;
        }
        if (start < text.Length || startLine == 1) yield return new Chunk(text[start..], startLine, hasContent);
    }

    private static bool IsMarker(ReadOnlySpan<char> line, string marker)
        => line.StartsWith(marker) && (line.Length == 3 || line[3] is ' ' or '\t' or '\r' or '\n');

    /// <summary>Anything but blanks and comments.</summary>
    private static bool IsContent(ReadOnlySpan<char> line)
    {
        var trimmed = line.TrimStart(" \t\r\n");
        return trimmed.Length > 0 && trimmed[0] != '#';
    }
}
