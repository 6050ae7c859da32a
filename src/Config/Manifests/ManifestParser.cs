using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Mesh.Config.Validation;

namespace Mesh.Config.Manifests;

/// <summary>Reads a manifest (YAML or JSON, one or more documents separated by <c>---</c> or <c>...</c>) into JSON trees,
/// within <see cref="ManifestLimits"/>. Never throws on bad input: problems come back as errors.</summary>
public static class ManifestParser
{
    /// <summary>Reads UTF-8 bytes; invalid UTF-8 is an error.</summary>
    public static IReadOnlyList<ManifestDocument> Parse(ReadOnlySpan<byte> utf8, ManifestLimits? limits = null)
    {
        limits ??= ManifestLimits.Default;
        if (utf8.Length > limits.MaxManifestBytes) return [TooLarge(utf8.Length, limits)];
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        if (Utf8Error(utf8) is { } invalid) return [new ManifestDocument(0, invalid.Line, null, [invalid.Error])];
        return Parse(Encoding.UTF8.GetString(utf8), limits);
    }

    public static IReadOnlyList<ManifestDocument> Parse(string text, ManifestLimits? limits = null)
    {
        limits ??= ManifestLimits.Default;
        if (text.Length > limits.MaxManifestBytes || Encoding.UTF8.GetByteCount(text) > limits.MaxManifestBytes)
        {
            return [TooLarge(Encoding.UTF8.GetByteCount(text), limits)];
        }
        if (NonPrintable(text) is { } bad) return [bad];
        // Counted before anything is parsed, at every separator YAML has ("---", "...", a bare document after "..."),
        // so that a manifest of many tiny documents is refused whole with one error, at the cost of one pass.
        var chunks = DocumentSplitter.Split(text).Where(chunk => chunk.HasContent).ToList();
        if (chunks.Count > limits.MaxDocuments)
        {
            return [TooMany(0, chunks[limits.MaxDocuments].Line, limits, $" (it has {chunks.Count}); split it into several manifests")];
        }
        var documents = new List<ManifestDocument>();
        foreach (var chunk in chunks)
        {
            if (Encoding.UTF8.GetByteCount(chunk.Text) is var bytes && bytes > limits.MaxDocumentBytes)
            {
                documents.Add(Failed(documents.Count, chunk.Line,
                    $"line {chunk.Line}: document of {bytes} bytes is larger than the limit of {limits.MaxDocumentBytes}"));
                continue;
            }
            foreach (var read in DocumentReader.ReadAll(chunk.Text, limits, chunk.Line - 1))
            {
                if (read.IsEmpty) continue;
                if (!AddDocuments(documents, read, limits)) return documents;
            }
        }
        return documents;
    }

    /// <summary>Adds what one read document stands for; false once the manifest holds more documents than allowed
    /// (a list expands into its items), after which nothing more is read.</summary>
    private static bool AddDocuments(List<ManifestDocument> documents, DocumentReader.Result read, ManifestLimits limits)
    {
        IEnumerable<JsonNode?> items = read.Errors.Count > 0 ? [null] : Expand(read.Root);
        foreach (var item in items)
        {
            if (documents.Count >= limits.MaxDocuments)
            {
                documents.Add(TooMany(documents.Count, read.Line, limits, ""));
                return false;
            }
            documents.Add(read.Errors.Count > 0 ? new ManifestDocument(documents.Count, read.Line, null, read.Errors)
                : item is JsonObject obj ? new ManifestDocument(documents.Count, read.Line, obj, [])
                : Failed(documents.Count, read.Line, $"line {read.Line}: a document must be a mapping (apiVersion, kind, metadata, spec), got {Describe(item)}"));
        }
        return true;
    }

    /// <summary>A JSON array of objects, or a <c>kind: List</c>, stands for its items.</summary>
    private static IEnumerable<JsonNode?> Expand(JsonNode? root)
    {
        if (root is JsonArray array && array.Count > 0 && array.All(n => n is JsonObject))
        {
            return array.Select(n => n!.DeepClone());
        }
        if (root is JsonObject obj && obj["kind"] is JsonValue kind && kind.GetValueKind() == System.Text.Json.JsonValueKind.String
            && kind.GetValue<string>() == "List" && obj["items"] is JsonArray items && items.All(n => n is JsonObject))
        {
            return items.Select(n => n!.DeepClone());
        }
        return [root];
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => "a string",
            System.Text.Json.JsonValueKind.Number => "a number",
            _ => "a bool",
        },
        _ => "a mapping",
    };

    private static ManifestDocument Failed(int index, int line, string reason) => new(index, line, null, [new FieldError("", reason)]);

    private static ManifestDocument TooMany(int index, int line, ManifestLimits limits, string detail)
        => Failed(index, line, $"line {line}: more than {limits.MaxDocuments} documents in one manifest{detail}");

    private static ManifestDocument TooLarge(int bytes, ManifestLimits limits)
        => Failed(0, 1, $"line 1: manifest of {bytes} bytes is larger than the limit of {limits.MaxManifestBytes}");

    /// <summary>YAML allows only printable characters (YamlDotNet would silently stop reading at a NUL), and only the
    /// line breaks the document splitter sees.</summary>
    private static ManifestDocument? NonPrintable(string text)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
                continue;
            }
            // YAML breaks lines at a bare CR, NEL, LS and PS too; the document splitter (which counts documents before
            // anything is parsed) breaks only at LF, so those would hide separators from it.
            if ((c == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')) || c is '\u0085' or '\u2028' or '\u2029')
            {
                return Failed(0, line, $"line {line}, column {i - lineStart + 1}: a line break other than LF or CRLF (U+{(int)c:X4}) is not allowed; " +
                    "save the file with LF line ends, or write it as an escape (\\r, \\N, \\L, \\P) in a double-quoted string");
            }
            var printable = c is '\t' or '\r' || (c >= ' ' && c <= '~') || (c >= '\u00A0' && c <= '\uFFFD');
            if (!printable)
            {
                return Failed(0, line, $"line {line}, column {i - lineStart + 1}: character U+{(int)c:X4} is not allowed in YAML");
            }
        }
        return null;
    }

    private static (int Line, FieldError Error)? Utf8Error(ReadOnlySpan<byte> utf8)
    {
        var chars = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var consumed = 0;
            while (consumed < utf8.Length)
            {
                var status = System.Text.Unicode.Utf8.ToUtf16(utf8[consumed..], chars, out var read, out _, replaceInvalidSequences: false);
                consumed += read;
                if (status is OperationStatus.InvalidData or OperationStatus.NeedMoreData)
                {
                    var before = utf8[..consumed];
                    var line = before.Count((byte)'\n') + 1;
                    var lastNewline = before.LastIndexOf((byte)'\n');
                    var column = consumed - lastNewline;
                    return (line, new FieldError("", $"line {line}, column {column}: invalid UTF-8 (byte 0x{utf8[consumed]:X2} at offset {consumed})"));
                }
            }
            return null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
