using PbxHub.Calls;

namespace PbxHub.Providers.Sipuni;

/// <summary>
/// The export's words for a call's type and status, in PbxHub's terms: the one place they are mapped
/// (table in docs/providers/sipuni.md, "Call history"). Integrations show the words capitalised (<c>Входящий</c>,
/// <c>Не отвечен</c>) and in lower case (<c>исходящий</c>, <c>не отвечен</c>); both are read.
/// </summary>
internal static class SipuniHistoryStatuses
{
    public const string AnsweredText = "Отвечен";
    public const string NotAnsweredText = "Не отвечен";

    /// <summary><c>Входящий</c> inbound, <c>Исходящий</c> outbound, <c>Внутренний</c> internal; null for anything else.</summary>
    public static string? DirectionOf(string? type) => Normal(type) switch
    {
        { } t when t.StartsWith("вход", StringComparison.Ordinal) => Directions.Inbound,
        { } t when t.StartsWith("исход", StringComparison.Ordinal) => Directions.Outbound,
        { } t when t.StartsWith("внутр", StringComparison.Ordinal) => Directions.Internal,
        _ => null,
    };

    /// <summary>
    /// <c>Отвечен</c> answered; <c>Не отвечен</c> missed on an inbound call and no_answer otherwise (the export does not say
    /// busy from unanswered); the rarer words some integrations expect are read too; anything else is unknown.
    /// </summary>
    public static string OutcomeOf(string? status, string direction) => Normal(status) switch
    {
        "отвечен" or "отвеченный" or "принят" or "принятый" => Outcomes.Answered,
        "не отвечен" or "неотвечен" or "неотвеченный" or "не принят" or "пропущен" or "пропущенный" =>
            direction == Directions.Inbound ? Outcomes.Missed : Outcomes.NoAnswer,
        "занято" or "занят" => Outcomes.Busy,
        "отменен" or "отменён" or "сброшен" => Outcomes.Cancelled,
        "недоступен" => Outcomes.Unavailable,
        _ => Outcomes.Unknown,
    };

    /// <summary>What the stand-in writes for a PbxHub outcome: the export knows answered and not answered only.</summary>
    public static string TextOf(string outcome) => outcome == Outcomes.Answered ? AnsweredText : NotAnsweredText;

    public static string TypeOf(string direction) => direction switch
    {
        Directions.Outbound => "Исходящий",
        Directions.Internal => "Внутренний",
        _ => "Входящий",
    };

    private static string? Normal(string? text) => text?.Trim().ToLowerInvariant();
}
