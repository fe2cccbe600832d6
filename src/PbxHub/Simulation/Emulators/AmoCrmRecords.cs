using System.Text.Json.Nodes;

namespace PbxHub.Simulation.Emulators;

/// <summary>A request the amoCRM stand-in answered: method, path, body, and its status (2xx: accepted).</summary>
internal sealed record AmoCrmRequest(string Method, string Path, JsonNode? Body, int Status, string? Error);

/// <summary>A call the stand-in added to a contact's card, as <c>POST /api/v4/calls</c> gave it.</summary>
internal sealed record AmoCrmCall(int Id, JsonObject Body)
{
    public string? Uniq => Body["uniq"]?.ToString();

    public int? ResponsibleUserId => Body["responsible_user_id"]?.GetValue<int>();

    public int? CallStatus => Body["call_status"]?.GetValue<int>();

    public int Duration => Body["duration"]!.GetValue<int>();

    public string? Link => Body["link"]?.ToString();
}

/// <summary>An incoming unsorted lead (<c>POST /api/v4/leads/unsorted/sip</c>).</summary>
internal sealed record AmoCrmUnsorted(string Uid, JsonObject Body)
{
    public JsonObject Metadata => Body["metadata"]!.AsObject();
}
