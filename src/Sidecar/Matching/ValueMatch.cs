using Envoy.Type.Matcher.V3;
using Google.Protobuf.WellKnownTypes;

namespace Mesh.Sidecar.Matching;

/// <summary>A compiled Envoy <c>ValueMatcher</c> over a protobuf <see cref="Value"/>. A value that is not there
/// has no kind: only an inverted metadata matcher can match it (<c>present_match: false</c> never matches, as in
/// Envoy).</summary>
internal static class ValueMatch
{
    public static Func<Value, bool> Compile(ValueMatcher? matcher, string field)
    {
        if (matcher is null) throw new MatcherConfigException(field, "is required");
        switch (matcher.MatchPatternCase)
        {
            case ValueMatcher.MatchPatternOneofCase.NullMatch:
                return value => value.KindCase == Value.KindOneofCase.NullValue;
            case ValueMatcher.MatchPatternOneofCase.DoubleMatch:
                return Double(matcher.DoubleMatch, $"{field}.double_match");
            case ValueMatcher.MatchPatternOneofCase.StringMatch:
                var text = StringMatch.Compile(matcher.StringMatch, $"{field}.string_match");
                return value => value.KindCase == Value.KindOneofCase.StringValue && text.Matches(value.StringValue);
            case ValueMatcher.MatchPatternOneofCase.BoolMatch:
                var expected = matcher.BoolMatch;
                return value => value.KindCase == Value.KindOneofCase.BoolValue && value.BoolValue == expected;
            case ValueMatcher.MatchPatternOneofCase.PresentMatch:
                var present = matcher.PresentMatch;
                return value => present && value.KindCase != Value.KindOneofCase.None;
            case ValueMatcher.MatchPatternOneofCase.ListMatch:
                if (matcher.ListMatch.MatchPatternCase != ListMatcher.MatchPatternOneofCase.OneOf)
                {
                    throw new MatcherConfigException($"{field}.list_match", "one_of is required");
                }
                var element = Compile(matcher.ListMatch.OneOf, $"{field}.list_match.one_of");
                return value => value.KindCase == Value.KindOneofCase.ListValue && value.ListValue.Values.Any(element);
            case ValueMatcher.MatchPatternOneofCase.OrMatch:
                var options = matcher.OrMatch.ValueMatchers;
                if (options.Count < 2) throw new MatcherConfigException($"{field}.or_match.value_matchers", "needs at least 2 matchers");
                var any = options.Select((option, i) => Compile(option, $"{field}.or_match.value_matchers[{i}]")).ToArray();
                return value => any.Any(option => option(value));
            default:
                throw new MatcherConfigException(field, "match_pattern is required");
        }
    }

    private static Func<Value, bool> Double(DoubleMatcher matcher, string field)
    {
        switch (matcher.MatchPatternCase)
        {
            case DoubleMatcher.MatchPatternOneofCase.Exact:
                var exact = matcher.Exact;
                return value => value.KindCase == Value.KindOneofCase.NumberValue && value.NumberValue == exact;
            case DoubleMatcher.MatchPatternOneofCase.Range:
                var (start, end) = (matcher.Range.Start, matcher.Range.End);
                return value => value.KindCase == Value.KindOneofCase.NumberValue && value.NumberValue >= start && value.NumberValue < end;
            default:
                throw new MatcherConfigException(field, "match_pattern is required (exact or range)");
        }
    }
}
