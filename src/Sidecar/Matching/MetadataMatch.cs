using Envoy.Type.Matcher.V3;
using Google.Protobuf.WellKnownTypes;

namespace Mesh.Sidecar.Matching;

/// <summary>A compiled Envoy <c>MetadataMatcher</c>: the value at <c>path</c> inside the dynamic metadata of
/// <c>filter</c> (for example <c>istio_authn</c> → <c>request.auth.principal</c>), matched, then inverted if asked.</summary>
internal sealed class MetadataMatch
{
    private static readonly Value Missing = new();

    private readonly string _filter;
    private readonly string[] _path;
    private readonly Func<Value, bool> _value;
    private readonly bool _invert;

    private MetadataMatch(string filter, string[] path, Func<Value, bool> value, bool invert)
    {
        _filter = filter;
        _path = path;
        _value = value;
        _invert = invert;
    }

    public static MetadataMatch Compile(MetadataMatcher? matcher, string field)
    {
        if (matcher is null) throw new MatcherConfigException(field, "is required");
        if (matcher.Filter.Length == 0) throw new MatcherConfigException($"{field}.filter", "must not be empty");
        if (matcher.Path.Count == 0) throw new MatcherConfigException($"{field}.path", "needs at least one segment");
        var path = new string[matcher.Path.Count];
        for (var i = 0; i < path.Length; i++)
        {
            var segment = matcher.Path[i];
            if (segment.SegmentCase != MetadataMatcher.Types.PathSegment.SegmentOneofCase.Key || segment.Key.Length == 0)
            {
                throw new MatcherConfigException($"{field}.path[{i}]", "needs a non-empty key");
            }
            path[i] = segment.Key;
        }
        return new MetadataMatch(matcher.Filter, path, ValueMatch.Compile(matcher.Value, $"{field}.value"), matcher.Invert);
    }

    public bool Matches(IReadOnlyDictionary<string, Struct> metadata) => _value(Lookup(metadata)) != _invert;

    private Value Lookup(IReadOnlyDictionary<string, Struct> metadata)
    {
        if (!metadata.TryGetValue(_filter, out var data)) return Missing;
        Value? value = null;
        foreach (var key in _path)
        {
            if (data is null || !data.Fields.TryGetValue(key, out value)) return Missing;
            data = value.KindCase == Value.KindOneofCase.StructValue ? value.StructValue : null;
        }
        return value ?? Missing;
    }
}
