using System.Text.RegularExpressions;
using PbxHub.Providers.HookType;

namespace PbxHub.Tests.Providers.HookType;

/// <summary>
/// 484 and 503 have one outcome (docs/providers/hooktype.md): every page that says which outcome a ResultCode gives
/// must say what the code does, or a user filtering by outcome is told one thing and served another.
/// </summary>
public sealed partial class HookTypeResultCodesDocsTests
{
    [Fact]
    public void CallRecordOutcomeTable_HookTypeCodes_GiveTheOutcomeOfTheirRow()
    {
        var rows = OutcomeRow().Matches(File.ReadAllText(Path.Combine(Root(), "docs", "call-record.md")));
        var named = rows.SelectMany(row => HookTypeCodes(row.Groups["codes"].Value).Select(code => (Code: code, Outcome: row.Groups["outcome"].Value))).ToList();

        Assert.Contains(named, n => n.Code == "484");
        Assert.Contains(named, n => n.Code == "503");
        Assert.All(named, n => Assert.Equal((n.Code, n.Outcome), (n.Code, HookTypeResultCodes.OutcomeOf(n.Code))));
    }

    [Fact]
    public void DialectCodeTable_EveryCode_GivesTheOutcomeOfItsRow()
    {
        var rows = CodeRow().Matches(File.ReadAllText(Path.Combine(Root(), "docs", "providers", "hooktype-dialect.md")));

        Assert.Equal(HookTypeResultCodes.Codes.Order(), rows.Select(r => r.Groups["code"].Value).Order());
        Assert.All(rows, r => Assert.Equal(HookTypeResultCodes.OutcomeOf(r.Groups["code"].Value), r.Groups["outcome"].Value));
    }

    /// <summary>The codes a row names after "HookType", up to the next provider's name or the end of the parenthesis.</summary>
    private static IEnumerable<string> HookTypeCodes(string text) =>
        text.IndexOf("HookType", StringComparison.Ordinal) is >= 0 and var at
            ? Code().Matches(text[at..].Split([';', ')'])[0]).Select(m => m.Groups[1].Value)
            : [];

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PbxHub.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No PbxHub.slnx above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^\| `(?<outcome>[a-z_]+)` \| (?<codes>[^|\n]*) \|$", RegexOptions.Multiline)]
    private static partial Regex OutcomeRow();

    [GeneratedRegex(@"^\| `(?<code>[0-9]{3}(?:-S)?)` \| [^|\n]* \| `(?<outcome>[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex CodeRow();

    [GeneratedRegex("`([0-9]{3}(?:-S)?)`")]
    private static partial Regex Code();
}
