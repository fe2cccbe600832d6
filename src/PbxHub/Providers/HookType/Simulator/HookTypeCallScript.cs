using System.Globalization;
using PbxHub.Simulation;

namespace PbxHub.Providers.HookType.Simulator;

/// <summary>
/// Writes one call's HookType webhooks as the PBX posts them (docs/providers/hooktype-dialect.md): JSON bodies with
/// SessionID and HookType first, times as the account's wall clock, numbers as ten digits without the
/// country code, and ResultCode/Duration sometimes strings, sometimes JSON numbers (declared integers,
/// sent as strings in real traffic).
/// </summary>
internal sealed class HookTypeCallScript(string sessionId, TimeZoneInfo zone, DateTimeOffset start, Random random)
{
    private readonly List<HookRequest> requests = [];
    private readonly bool numbersAsStrings = random.NextDouble() < 0.7;

    public IReadOnlyList<HookRequest> Requests => requests;

    public DateTimeOffset Start { get; } = start;

    /// <summary>One webhook; <paramref name="fields"/> are in the order the PBX writes them.</summary>
    public void Hook(string hookType, params (string Name, string? Value)[] fields)
    {
        var all = new List<KeyValuePair<string, string>> { new("SessionID", sessionId), new("HookType", hookType) };
        all.AddRange(fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Name, f.Value!)));
        requests.Add(new HookRequest("POST", all)
        {
            Body = HookBody.Json,
            JsonNumbers = numbersAsStrings ? [] : ["Duration", "ResultCode"],
            HangUp = HookTypeKinds.IsEnd(hookType),
        });
    }

    /// <summary>The wall-clock time <paramref name="seconds"/> after the call's start, as the account's zone reads it.</summary>
    public string At(int seconds) =>
        TimeZoneInfo.ConvertTime(Start.AddSeconds(seconds), zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Seconds(int value) => value.ToString(CultureInfo.InvariantCulture);
}
