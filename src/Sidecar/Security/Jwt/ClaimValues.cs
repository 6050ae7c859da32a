using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>Claims of a verified token turned into what other filters see: header values for
/// <c>claim_to_headers</c> and the payload with <c>space_delimited_claims</c> split into lists.</summary>
internal static class ClaimValues
{
    /// <summary>The value of a claim (a dotted path walks into nested objects) as Envoy writes it into a header:
    /// strings as they are, whole numbers without a fraction, booleans as true/false, objects and lists as base64 of
    /// their JSON. Null when the claim is absent or has no such form.</summary>
    public static string? HeaderValue(Struct payload, string claim)
    {
        Value? value = null;
        Struct? current = payload;
        foreach (var segment in claim.Split('.'))
        {
            if (current is null || !current.Fields.TryGetValue(segment, out value)) return null;
            current = value.KindCase == Value.KindOneofCase.StructValue ? value.StructValue : null;
        }
        return value?.KindCase switch
        {
            Value.KindOneofCase.StringValue => value.StringValue,
            Value.KindOneofCase.NumberValue => Number(value.NumberValue),
            Value.KindOneofCase.BoolValue => value.BoolValue ? "true" : "false",
            Value.KindOneofCase.StructValue or Value.KindOneofCase.ListValue => Convert.ToBase64String(Json(value)),
            _ => null,
        };
    }

    /// <summary>The payload for <c>payload_in_metadata</c>: string claims named in <c>space_delimited_claims</c>
    /// become lists of their words.</summary>
    public static Struct Normalize(Struct payload, string[] spaceDelimitedClaims)
    {
        if (spaceDelimitedClaims.Length == 0) return payload;
        var normalized = payload.Clone();
        foreach (var claim in spaceDelimitedClaims)
        {
            if (!payload.Fields.TryGetValue(claim, out var value) || value.KindCase != Value.KindOneofCase.StringValue) continue;
            var words = value.StringValue.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            normalized.Fields[claim] = Value.ForList(words.Select(Value.ForString).ToArray());
        }
        return normalized;
    }

    private static string Number(double number)
        => number >= 0 && number < 18446744073709551616.0 && Math.Floor(number) == number
            ? ((ulong)number).ToString(CultureInfo.InvariantCulture)
            : number.ToString("F6", CultureInfo.InvariantCulture);

    private static byte[] Json(Value value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }
        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, Value value)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.StructValue:
                writer.WriteStartObject();
                foreach (var (key, field) in value.StructValue.Fields)
                {
                    writer.WritePropertyName(key);
                    Write(writer, field);
                }
                writer.WriteEndObject();
                break;
            case Value.KindOneofCase.ListValue:
                writer.WriteStartArray();
                foreach (var item in value.ListValue.Values) Write(writer, item);
                writer.WriteEndArray();
                break;
            case Value.KindOneofCase.StringValue:
                writer.WriteStringValue(value.StringValue);
                break;
            case Value.KindOneofCase.NumberValue:
                writer.WriteNumberValue(value.NumberValue);
                break;
            case Value.KindOneofCase.BoolValue:
                writer.WriteBooleanValue(value.BoolValue);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
