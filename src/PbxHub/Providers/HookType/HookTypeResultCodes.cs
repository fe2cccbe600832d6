namespace PbxHub.Providers.HookType;

/// <summary>
/// The spec's ResultCode table (EndIncCall, MissedIncCall, EndOutCall), which is exactly the status list of
/// Bitrix24's <c>telephony.externalcall.finish</c>, and what each code means as a PbxHub outcome. This is the
/// only place codes are interpreted; the code itself is always kept as the record's <c>providerResult</c>.
/// </summary>
internal static class HookTypeResultCodes
{
    /// <summary>
    /// Code → outcome. Why the less obvious ones: 304 "missed" becomes no_answer because an inbound call nobody
    /// answered is <c>missed</c> anyway (the fold decides that) while for an outbound call or a leg "missed" means
    /// the callee did not pick up; 603 "declined" and 423 "blocked" are refusals (rejected); 603-S "call cancelled"
    /// is the caller giving up (cancelled); 403 "forbidden", 404 "wrong number" and 402 "not enough funds" are calls
    /// the PBX could not place (failed); 484, 503 and 480 "direction/party not available" are unavailable: 484 and
    /// 503 have the very same words in the spec, so they mean the same to a user (docs/providers/hooktype.md).
    /// </summary>
    private static readonly Dictionary<string, string> OutcomeByCode = new(StringComparer.Ordinal)
    {
        ["200"] = Calls.Outcomes.Answered,     // Успешный звонок
        ["304"] = Calls.Outcomes.NoAnswer,     // Пропущенный звонок
        ["603"] = Calls.Outcomes.Rejected,     // Отклонено
        ["603-S"] = Calls.Outcomes.Cancelled,  // Вызов отменен
        ["403"] = Calls.Outcomes.Failed,       // Запрещено
        ["404"] = Calls.Outcomes.Failed,       // Неверный номер
        ["486"] = Calls.Outcomes.Busy,         // Занято
        ["484"] = Calls.Outcomes.Unavailable,  // Данное направление не доступно
        ["503"] = Calls.Outcomes.Unavailable,  // Данное направление не доступно
        ["480"] = Calls.Outcomes.Unavailable,  // Временно не доступен
        ["402"] = Calls.Outcomes.Failed,       // Недостаточно средств на счету
        ["423"] = Calls.Outcomes.Rejected,     // Заблокировано
    };

    public static IEnumerable<string> Codes => OutcomeByCode.Keys;

    /// <summary>The code as PbxHub keeps it (<c>603-s</c> → <c>603-S</c>), or null when it is not in the table.</summary>
    public static string? Canonical(string code)
    {
        var upper = code.Trim().ToUpperInvariant();
        return OutcomeByCode.ContainsKey(upper) ? upper : null;
    }

    /// <summary>The outcome of a code already made <see cref="Canonical"/>.</summary>
    public static string OutcomeOf(string canonicalCode) => OutcomeByCode[canonicalCode];

    /// <summary>
    /// The table read backwards, for Bitrix24's <c>STATUS_CODE</c> (docs/connectors.md): the code the provider gave when it
    /// is one of the table's (HookType keeps it as <c>providerResult</c>), else the first code of the outcome; a missed call
    /// is 304, and an outcome no code names (failed, unknown) is <c>OTHER</c>.
    /// </summary>
    public static string CodeOf(string? outcome, string? providerResult)
    {
        if (providerResult is not null && Canonical(providerResult) is { } given && OutcomeByCode[given] == outcome)
        {
            return given;
        }

        return outcome switch
        {
            Calls.Outcomes.Missed => "304",
            Calls.Outcomes.Congestion => "503",
            // 484 and 503 name a direction; 480 "temporarily unavailable" is the one that fits any unreachable party.
            Calls.Outcomes.Unavailable => "480",
            Calls.Outcomes.Failed or Calls.Outcomes.Unknown or null => "OTHER",
            _ => OutcomeByCode.FirstOrDefault(kv => kv.Value == outcome).Key ?? "OTHER",
        };
    }
}
