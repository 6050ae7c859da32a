namespace Mesh.Config.Validation.Fields;

/// <summary>The schema DSL: <c>Obj(("hosts", List(Host)), ("http", List(HttpRoute)))</c>. Kind schemas read like Istio's API reference.</summary>
internal static class Schema
{
    public static ObjectSchema Obj(params (string Name, FieldSchema Schema)[] fields) => new(fields);

    public static ListSchema List(FieldSchema item) => new(item);

    public static MapSchema Map(FieldSchema value, Func<string, string?>? keyRule = null) => new(value, keyRule);

    public static StringSchema Str { get; } = new([]);

    public static FieldSchema Bool { get; } = new BoolSchema();

    public static IntegerSchema Int(long min = int.MinValue, long max = int.MaxValue) => new(min, max);

    /// <summary>protobuf uint32.</summary>
    public static IntegerSchema UInt { get; } = new(0, uint.MaxValue);

    public static NumberSchema Number(double min, double max) => new(min, max);

    public static EnumSchema Enum(params string[] values) => new(values);

    public static StringSchema Matching(Func<string, string?> rule) => Str.With(rule);
}
