using System.Globalization;

namespace PbxHub.Simulation;

/// <summary>A Russian phone number: its ten national digits, and the shapes providers send it in.</summary>
internal sealed record RussianNumber(string National)
{
    // Prefixes libphonenumber knows as assigned, so the hub's normalisation has one reading of every shape.
    private static readonly string[] MobilePrefixes = ["903", "905", "906", "909", "910", "915", "916", "917", "919", "925", "926", "929", "965", "968", "985"];
    private static readonly string[] LinePrefixes = ["495", "499", "812"];

    public string E164 => "+7" + National;

    public static RussianNumber Mobile(Random random) => Make(MobilePrefixes, random);

    public static RussianNumber CompanyLine(Random random) => Make(LinePrefixes, random);

    /// <summary>8XXXXXXXXXX, 7XXXXXXXXXX, +7XXXXXXXXXX or the ten digits alone: all are real.</summary>
    public string Shape(Random random) => random.Next(4) switch
    {
        0 => "8" + National,
        1 => "7" + National,
        2 => "+7" + National,
        _ => National,
    };

    private static RussianNumber Make(string[] prefixes, Random random) =>
        new(prefixes[random.Next(prefixes.Length)] + random.Next(0, 10_000_000).ToString("D7", CultureInfo.InvariantCulture));
}
