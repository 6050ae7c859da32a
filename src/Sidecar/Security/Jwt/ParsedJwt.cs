using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>A JWT split and decoded, with the registered claims checked for type the way Envoy's jwt_verify does
/// (each failure has its own status). Nothing here is verified: see <see cref="JwksKeys"/>.</summary>
internal sealed class ParsedJwt
{
    private static readonly HashSet<string> SupportedAlgorithms =
    [
        "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA",
    ];

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=");

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    private ParsedJwt(string token, string payloadBase64Url, Struct header, Struct payload)
    {
        Token = token;
        PayloadBase64Url = payloadBase64Url;
        Header = header;
        Payload = payload;
    }

    public string Token { get; }

    public string PayloadBase64Url { get; }

    public Struct Header { get; }

    public Struct Payload { get; }

    public string Algorithm { get; private set; } = "";

    public string KeyId { get; private set; } = "";

    public string Issuer { get; private set; } = "";

    public string Subject { get; private set; } = "";

    public ulong NotBefore { get; private set; }

    public ulong Expires { get; private set; }

    public IReadOnlyList<string> Audiences { get; private set; } = [];

    public static JwtStatus TryParse(string token, out ParsedJwt? jwt)
    {
        jwt = null;
        var parts = token.Split('.');
        if (parts.Length != 3) return JwtStatus.JwtBadFormat;
        var header = DecodeJson(parts[0], JwtStatus.JwtHeaderParseErrorBadBase64, JwtStatus.JwtHeaderParseErrorBadJson, out var status);
        if (header is null) return status;
        var payload = DecodeJson(parts[1], JwtStatus.JwtPayloadParseErrorBadBase64, JwtStatus.JwtPayloadParseErrorBadJson, out status);
        if (payload is null) return status;
        var parsed = new ParsedJwt(token, parts[1], header, payload);
        status = parsed.ReadHeader();
        if (status == JwtStatus.Ok) status = parsed.ReadClaims();
        if (status == JwtStatus.Ok && !TryDecode(parts[2], out _)) status = JwtStatus.JwtSignatureParseErrorBadBase64;
        if (status == JwtStatus.Ok) jwt = parsed;
        return status;
    }

    private JwtStatus ReadHeader()
    {
        if (!Header.Fields.TryGetValue("alg", out var alg) || alg.KindCase != Value.KindOneofCase.StringValue) return JwtStatus.JwtHeaderBadAlg;
        if (!SupportedAlgorithms.Contains(alg.StringValue)) return JwtStatus.JwtHeaderNotImplementedAlg;
        Algorithm = alg.StringValue;
        if (Header.Fields.TryGetValue("kid", out var kid))
        {
            if (kid.KindCase != Value.KindOneofCase.StringValue) return JwtStatus.JwtHeaderBadKid;
            KeyId = kid.StringValue;
        }
        return JwtStatus.Ok;
    }

    private JwtStatus ReadClaims()
    {
        if (!ReadString("iss", out var issuer)) return JwtStatus.JwtPayloadParseErrorIssNotString;
        if (!ReadString("sub", out var subject)) return JwtStatus.JwtPayloadParseErrorSubNotString;
        var status = ReadTime("iat", JwtStatus.JwtPayloadParseErrorIatNotInteger, JwtStatus.JwtPayloadParseErrorIatOutOfRange, out _);
        if (status != JwtStatus.Ok) return status;
        status = ReadTime("nbf", JwtStatus.JwtPayloadParseErrorNbfNotInteger, JwtStatus.JwtPayloadParseErrorNbfOutOfRange, out var notBefore);
        if (status != JwtStatus.Ok) return status;
        status = ReadTime("exp", JwtStatus.JwtPayloadParseErrorExpNotInteger, JwtStatus.JwtPayloadParseErrorExpOutOfRange, out var expires);
        if (status != JwtStatus.Ok) return status;
        if (!ReadString("jti", out _)) return JwtStatus.JwtPayloadParseErrorJtiNotString;
        var audiences = ReadAudiences();
        if (audiences is null) return JwtStatus.JwtPayloadParseErrorAudNotString;
        (Issuer, Subject, NotBefore, Expires, Audiences) = (issuer, subject, notBefore, expires, audiences);
        return JwtStatus.Ok;
    }

    private bool ReadString(string claim, out string value)
    {
        value = "";
        if (!Payload.Fields.TryGetValue(claim, out var field)) return true;
        if (field.KindCase != Value.KindOneofCase.StringValue) return false;
        value = field.StringValue;
        return true;
    }

    /// <summary>A NumericDate: a JSON number in [0, 2^64); a fraction is dropped, as jwt_verify does.</summary>
    private JwtStatus ReadTime(string claim, JwtStatus notInteger, JwtStatus outOfRange, out ulong value)
    {
        value = 0;
        if (!Payload.Fields.TryGetValue(claim, out var field)) return JwtStatus.Ok;
        if (field.KindCase != Value.KindOneofCase.NumberValue) return notInteger;
        var number = field.NumberValue;
        if (!(number >= 0 && number < 18446744073709551616.0)) return outOfRange;
        value = (ulong)number;
        return JwtStatus.Ok;
    }

    private List<string>? ReadAudiences()
    {
        if (!Payload.Fields.TryGetValue("aud", out var aud)) return [];
        if (aud.KindCase == Value.KindOneofCase.StringValue) return [aud.StringValue];
        if (aud.KindCase != Value.KindOneofCase.ListValue) return null;
        var audiences = new List<string>(aud.ListValue.Values.Count);
        foreach (var value in aud.ListValue.Values)
        {
            if (value.KindCase != Value.KindOneofCase.StringValue) return null;
            audiences.Add(value.StringValue);
        }
        return audiences;
    }

    private static Struct? DecodeJson(string part, JwtStatus badBase64, JwtStatus badJson, out JwtStatus status)
    {
        status = JwtStatus.Ok;
        if (!TryDecode(part, out var bytes))
        {
            status = badBase64;
            return null;
        }
        try
        {
            return JsonParser.Default.Parse<Struct>(StrictUtf8.GetString(bytes));
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or InvalidJsonException or DecoderFallbackException or FormatException or InvalidOperationException)
        {
            status = badJson;
            return null;
        }
    }

    private static bool TryDecode(string part, out byte[] bytes)
    {
        bytes = [];
        // Base64Url.IsValid alone would let whitespace through.
        if (part.AsSpan().IndexOfAnyExcept(Base64UrlAlphabet) >= 0 || !Base64Url.IsValid(part)) return false;
        bytes = Base64Url.DecodeFromChars(part);
        return true;
    }
}
