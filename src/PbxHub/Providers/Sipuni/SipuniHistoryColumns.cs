namespace PbxHub.Providers.Sipuni;

/// <summary>
/// The statistics export's columns PbxHub reads, by their Russian headers. Accounts and years differ in the exact
/// wording (<c>Длительность звонка</c>, <c>Длительность звонка, сек</c>, <c>Продолжительность звонка</c>) and in the
/// columns present, so columns are found by name, never by position (docs/providers/sipuni.md, "Call history").
/// </summary>
internal sealed class SipuniHistoryColumns
{
    public static readonly string[] Type = ["Тип"];
    public static readonly string[] Status = ["Статус"];
    public static readonly string[] Time = ["Время", "Дата и время"];
    public static readonly string[] OutgoingLine = ["Исходящая линия"];
    public static readonly string[] From = ["Откуда"];
    public static readonly string[] To = ["Куда"];
    public static readonly string[] AnsweredBy = ["Кто ответил"];
    public static readonly string[] CallSeconds = ["Длительность звонка", "Длительность звонка, сек", "Продолжительность звонка"];
    public static readonly string[] TalkSeconds = ["Длительность разговора", "Длительность разговора, сек", "Продолжительность разговора"];
    public static readonly string[] AnswerSeconds = ["Время ответа", "Время ответа, сек"];
    public static readonly string[] RecordId = ["ID записи"];

    /// <summary>Without these a line says nothing PbxHub can use: the answer is not the export.</summary>
    private static readonly string[][] Required = [Type, Status, Time, From, To];

    private readonly Dictionary<string, int> index;

    private SipuniHistoryColumns(Dictionary<string, int> index) => this.index = index;

    /// <summary>The columns of <paramref name="header"/>, or why it is not the export's header.</summary>
    public static (SipuniHistoryColumns? Columns, string? Problem) Of(IReadOnlyList<string> header)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            index.TryAdd(header[i].Trim(), i);
        }

        var columns = new SipuniHistoryColumns(index);
        var missing = Required.Where(names => columns.Find(names) is null).Select(names => names[0]).ToList();
        return missing.Count == 0
            ? (columns, null)
            : (null, $"not Sipuni's statistics export: the header lacks {string.Join(", ", missing.Select(m => $"\"{m}\""))}");
    }

    /// <summary>The field of <paramref name="fields"/> under one of <paramref name="names"/>, trimmed; null when absent or empty.</summary>
    public string? Get(IReadOnlyList<string> fields, string[] names) =>
        Find(names) is { } i && i < fields.Count && fields[i].Trim() is { Length: > 0 } value ? value : null;

    private int? Find(string[] names)
    {
        foreach (var name in names)
        {
            if (index.TryGetValue(name, out var i))
            {
                return i;
            }
        }

        return null;
    }
}
