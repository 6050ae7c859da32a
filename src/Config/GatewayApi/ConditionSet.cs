using System.Text.Json.Nodes;

namespace Mesh.Config.GatewayApi;

/// <summary>One status condition as the Gateway API defines it (<c>metav1.Condition</c>).</summary>
public sealed record Condition(string Type, bool Status, string Reason, string Message = "")
{
    /// <summary>As stored: <c>lastTransitionTime</c> kept from <paramref name="previous"/> when status and reason did not
    /// change, else <paramref name="now"/>.</summary>
    public JsonObject ToJson(long generation, DateTimeOffset now, JsonArray? previous)
    {
        var before = previous?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == Type);
        var same = before is not null && before["status"]?.GetValue<string>() == StatusText && before["reason"]?.GetValue<string>() == Reason;
        return new JsonObject
        {
            ["type"] = Type,
            ["status"] = StatusText,
            ["reason"] = Reason,
            ["message"] = Message,
            ["observedGeneration"] = generation,
            ["lastTransitionTime"] = same ? before!["lastTransitionTime"]?.DeepClone() : now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };
    }

    private string StatusText => Status ? "True" : "False";

    public static JsonArray ToJson(IEnumerable<Condition> conditions, long generation, DateTimeOffset now, JsonArray? previous)
        => [.. conditions.Select(c => (JsonNode)c.ToJson(generation, now, previous))];
}
