using System.Globalization;
using PbxHub.Simulation;

namespace PbxHub.Providers.Evrotel.Simulator;

/// <summary>A Ukrainian phone number: its nine national digits, and the shapes Evrotel sends it in.</summary>
internal sealed record UkrainianNumber(string National)
{
    // Operator and area codes libphonenumber knows as assigned, so the hub has one reading of every shape.
    private static readonly string[] MobileCodes = ["50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"];
    private static readonly string[] LineCodes = ["44", "56", "57", "32", "48"];

    public string E164 => "+380" + National;

    public static UkrainianNumber Mobile(Random random) => Make(MobileCodes, random);

    public static UkrainianNumber CompanyLine(Random random) => Make(LineCodes, random);

    /// <summary>0XXXXXXXXX (domestic) or 380XXXXXXXXX: both are real.</summary>
    public string Shape(Random random) => random.Next(2) == 0 ? "0" + National : "380" + National;

    private static UkrainianNumber Make(string[] codes, Random random) =>
        new(codes[random.Next(codes.Length)] + random.Next(0, 10_000_000).ToString("D7", CultureInfo.InvariantCulture));
}
