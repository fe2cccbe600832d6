using System.Text.Json.Nodes;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Connectors;

/// <summary>One event of the log as a connector takes it: its type, the call record as it was then, and its leg if any.</summary>
internal sealed record ConnectorEvent(StoredEvent Stored, CallRecord Call, Leg? Leg)
{
    public string Type => Stored.Type;

    public static ConnectorEvent Of(StoredEvent stored)
    {
        var root = JsonNode.Parse(stored.Json)!.AsObject();
        var call = CallJson.Deserialize<CallRecord>(root["call"]!.ToJsonString());
        var leg = root["leg"] is JsonObject l ? CallJson.Deserialize<Leg>(l.ToJsonString()) : null;
        return new ConnectorEvent(stored, call, leg);
    }
}
