using System.Text.Json.Nodes;
using Mesh.Config.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mesh.Config.Manifests;

/// <summary>Turns YamlDotNet's parsing events for one chunk of a manifest into JSON trees, without recursion,
/// so that depth, alias expansion and size are checked before they can cost anything.</summary>
internal sealed class DocumentReader
{
    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    private readonly ManifestLimits _limits;
    private readonly int _lineOffset;
    private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
    private readonly Stack<Frame> _stack = new();
    private readonly List<FieldError> _errors = [];
    private long _nodes;
    private long _bytes;

    private DocumentReader(ManifestLimits limits, int lineOffset)
    {
        _limits = limits;
        _lineOffset = lineOffset;
    }

    /// <summary>One document read from a chunk: its root (any JSON node), the line it starts at, its errors.</summary>
    public sealed record Result(JsonNode? Root, bool IsEmpty, int Line, IReadOnlyList<FieldError> Errors);

    /// <summary>Reads every document in <paramref name="text"/>, which starts at line <paramref name="lineOffset"/> + 1.</summary>
    public static List<Result> ReadAll(string text, ManifestLimits limits, int lineOffset)
    {
        var results = new List<Result>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                var reader = new DocumentReader(limits, lineOffset);
                var line = (int)start.Start.Line + lineOffset;
                var (root, empty, ok) = reader.ReadDocument(parser);
                results.Add(new Result(ok ? root : null, empty && reader._errors.Count == 0, line, reader._errors));
                if (!ok) return results;
                parser.Consume<DocumentEnd>();
            }
        }
        catch (YamlException e)
        {
            results.Add(new Result(null, false, (int)e.Start.Line + lineOffset, [Error(e.Start, Message(e), lineOffset)]));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner can fail outside YamlException on some malformed input; report it instead of crashing.
            results.Add(new Result(null, false, lineOffset + 1, [new FieldError("", $"line {lineOffset + 1}: cannot read YAML: {e.Message}")]));
        }
        return results;
    }

    private static string Message(YamlException e)
    {
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && cut > 0 ? message[(cut + 3)..] : message;
    }

    private static FieldError Error(Mark mark, string reason, int lineOffset)
        => new("", $"line {mark.Line + lineOffset}, column {mark.Column}: {reason}");

    private void Fail(ParsingEvent at, string reason) => _errors.Add(Error(at.Start, reason, _lineOffset));

    /// <summary>Reads events up to (not including) DocumentEnd. Returns ok=false when reading had to stop early.</summary>
    private (JsonNode? Root, bool Empty, bool Ok) ReadDocument(IParser parser)
    {
        JsonNode? root = null;
        var empty = false;
        var done = false;
        while (!done)
        {
            var ev = parser.Current;
            if (ev is null or DocumentEnd) return (null, true, false);
            var completed = Handle(ev, out var node, out var fatal);
            if (fatal) return (null, false, false);
            if (completed && _stack.Count == 0)
            {
                root = node;
                empty = ev is Scalar { Style: ScalarStyle.Plain, Value: var v } s && s.Tag.IsEmpty && YamlScalars.IsNull(v);
                done = true;
            }
            if (!parser.MoveNext()) return (null, false, false);
        }
        return (_errors.Count == 0 ? root : null, empty, true);
    }

    /// <summary>Handles one event. Returns true when it completed a node (placed in its parent, or the root).</summary>
    private bool Handle(ParsingEvent ev, out JsonNode? completed, out bool fatal)
    {
        completed = null;
        fatal = false;
        switch (ev)
        {
            case Scalar scalar:
                if (_stack.TryPeek(out var top) && top.IsMapping && top.PendingKey is null)
                {
                    SetKey(top, scalar, scalar.Value);
                    return false;
                }
                if (!Count(ev, 1, scalar.Value.Length)) { fatal = true; return false; }
                if (scalar.Value.Length > _limits.MaxStringLength)
                {
                    Fail(ev, $"string of {scalar.Value.Length} characters is longer than the limit of {_limits.MaxStringLength}");
                    fatal = true;
                    return false;
                }
                var value = Resolve(scalar);
                Remember(scalar.Anchor, value, 1, scalar.Value.Length, 0);
                Place(value);
                completed = value;
                return true;

            case AnchorAlias alias:
                if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                {
                    Fail(ev, $"alias *{alias.Value.Value} names no anchor");
                    fatal = true;
                    return false;
                }
                if (_stack.TryPeek(out var parent) && parent.IsMapping && parent.PendingKey is null)
                {
                    if (anchored.Node is JsonValue keyValue) { SetKey(parent, ev, keyValue.ToString()); return false; }
                    Fail(ev, "a mapping key must be a scalar");
                    fatal = true;
                    return false;
                }
                if (_stack.Count + anchored.Height > _limits.MaxDepth)
                {
                    Fail(ev, $"nesting is deeper than the limit of {_limits.MaxDepth}");
                    fatal = true;
                    return false;
                }
                if (!Count(ev, anchored.Nodes, anchored.Bytes)) { fatal = true; return false; }
                var copy = anchored.Node?.DeepClone();
                Place(copy);
                completed = copy;
                return true;

            case MappingStart or SequenceStart:
                if (_stack.TryPeek(out var owner) && owner.IsMapping && owner.PendingKey is null)
                {
                    Fail(ev, "a mapping key must be a scalar");
                    fatal = true;
                    return false;
                }
                if (_stack.Count + 1 > _limits.MaxDepth)
                {
                    Fail(ev, $"nesting is deeper than the limit of {_limits.MaxDepth}");
                    fatal = true;
                    return false;
                }
                var nodeEvent = (NodeEvent)ev;
                if (!nodeEvent.Tag.IsEmpty && !nodeEvent.Tag.IsNonSpecific
                    && nodeEvent.Tag.Value != CoreTagPrefix + (ev is MappingStart ? "map" : "seq"))
                {
                    Fail(ev, $"tag {nodeEvent.Tag.Value} is not allowed");
                    fatal = true;
                    return false;
                }
                if (!Count(ev, 1, 2)) { fatal = true; return false; }
                JsonNode container = ev is MappingStart ? new JsonObject() : new JsonArray();
                _stack.Push(new Frame(container, nodeEvent.Anchor, _nodes, _bytes));
                return false;

            case MappingEnd or SequenceEnd:
                var frame = _stack.Pop();
                Remember(frame.Anchor, frame.Node, _nodes - frame.NodesAtStart, _bytes - frame.BytesAtStart, frame.Height + 1);
                if (_stack.TryPeek(out var outer)) outer.Height = Math.Max(outer.Height, frame.Height + 1);
                Place(frame.Node);
                completed = frame.Node;
                return true;

            default:
                Fail(ev, $"unexpected {ev.GetType().Name}");
                fatal = true;
                return false;
        }
    }

    private bool Count(ParsingEvent at, long nodes, long bytes)
    {
        _nodes += nodes;
        _bytes += bytes;
        if (_nodes > _limits.MaxNodes)
        {
            Fail(at, $"document expands to more than {_limits.MaxNodes} nodes (aliases count each time they are used)");
            return false;
        }
        if (_bytes > _limits.MaxDocumentBytes)
        {
            Fail(at, $"document expands to more than {_limits.MaxDocumentBytes} bytes");
            return false;
        }
        return true;
    }

    private void SetKey(Frame frame, ParsingEvent at, string key)
    {
        if (at is Scalar { Tag.IsEmpty: false } tagged && !tagged.Tag.IsNonSpecific && tagged.Tag.Value != CoreTagPrefix + "str")
        {
            Fail(at, $"tag {tagged.Tag.Value} is not allowed on a mapping key");
        }
        if (key.Length > _limits.MaxStringLength)
        {
            Fail(at, $"key of {key.Length} characters is longer than the limit of {_limits.MaxStringLength}");
        }
        if (((JsonObject)frame.Node).ContainsKey(key))
        {
            Fail(at, $"duplicate key \"{YamlScalars.Shorten(key)}\"");
            frame.PendingKey = key;
            frame.SkipValue = true;
            return;
        }
        frame.PendingKey = key;
    }

    private void Place(JsonNode? node)
    {
        if (!_stack.TryPeek(out var parent)) return;
        if (parent.Node is JsonArray array)
        {
            array.Add(node);
            return;
        }
        var obj = (JsonObject)parent.Node;
        var key = parent.PendingKey!;
        parent.PendingKey = null;
        if (parent.SkipValue)
        {
            parent.SkipValue = false;
            return;
        }
        if (key == "<<" && Merge(obj, node)) return;
        obj[key] = node;
    }

    /// <summary>YAML 1.1 merge keys (<c>&lt;&lt;: *defaults</c>), which Kubernetes' YAML reader honours.</summary>
    private static bool Merge(JsonObject target, JsonNode? source)
    {
        var sources = source switch
        {
            JsonObject one => [one],
            JsonArray many when many.All(n => n is JsonObject) => many.Cast<JsonObject>().ToList(),
            _ => null,
        };
        if (sources is null) return false;
        foreach (var map in sources)
        {
            foreach (var (key, value) in map)
            {
                if (!target.ContainsKey(key)) target[key] = value?.DeepClone();
            }
        }
        return true;
    }

    private JsonNode? Resolve(Scalar scalar)
    {
        (JsonNode? Value, string? Error) resolved;
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
        {
            var tag = scalar.Tag.Value;
            resolved = tag.StartsWith(CoreTagPrefix, StringComparison.Ordinal)
                ? YamlScalars.ResolveTagged(tag[CoreTagPrefix.Length..], scalar.Value)
                : (null, $"tag {tag} is not allowed");
        }
        else if (scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty)
        {
            resolved = YamlScalars.ResolvePlain(scalar.Value);
        }
        else
        {
            resolved = (JsonValue.Create(scalar.Value), null);
        }
        if (resolved.Error is not null) Fail(scalar, resolved.Error);
        return resolved.Value;
    }

    private void Remember(AnchorName anchor, JsonNode? node, long nodes, long bytes, int height)
    {
        if (!anchor.IsEmpty) _anchors[anchor.Value] = new Anchored(node, nodes, bytes, height);
    }

    private sealed record Anchored(JsonNode? Node, long Nodes, long Bytes, int Height);

    private sealed class Frame(JsonNode node, AnchorName anchor, long nodesAtStart, long bytesAtStart)
    {
        public JsonNode Node { get; } = node;
        public AnchorName Anchor { get; } = anchor;
        public long NodesAtStart { get; } = nodesAtStart;
        public long BytesAtStart { get; } = bytesAtStart;
        public int Height { get; set; }
        public bool IsMapping => Node is JsonObject;
        public string? PendingKey { get; set; }
        public bool SkipValue { get; set; }
    }
}
