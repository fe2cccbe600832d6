using System.Text.RegularExpressions;

namespace PbxHub.Tests.Docs;

/// <summary>
/// The repository stands on its own (docs/README.md): comments cite docs/ pages that exist, never the product
/// brief or the provider documents kept outside it, and every relative link of the READMEs and docs/ leads to
/// a file (and heading) of the repository.
/// </summary>
public sealed partial class RepositoryReferencesTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void SourceComments_CitingFilesOutsideTheRepository_AreNone()
    {
        var problems = new List<string>();
        foreach (var file in Files(["src", "test", "bench"], "*.cs"))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (CommentOf(lines[i]) is not { } comment)
                {
                    continue;
                }

                if (OutsideCitation().Match(comment) is { Success: true } outside)
                {
                    problems.Add($"{Relative(file)}:{i + 1}: cites '{outside.Value}', which is not in the repository: cite a docs/ page");
                }

                foreach (Match page in DocsPage().Matches(comment))
                {
                    if (!File.Exists(Path.Combine(Root, page.Value)))
                    {
                        problems.Add($"{Relative(file)}:{i + 1}: cites {page.Value}, which does not exist");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void MarkdownLinks_InTheReadmesAndDocs_LeadToFilesAndHeadingsOfTheRepository()
    {
        var pages = Files(["docs"], "*.md").Append(Path.Combine(Root, "README.md")).Append(Path.Combine(Root, "bench", "README.md"));
        var problems = new List<string>();
        foreach (var page in pages)
        {
            foreach (var (line, target) in Links(page))
            {
                if (Problem(page, target) is { } problem)
                {
                    problems.Add($"{Relative(page)}:{line}: ({target}) {problem}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static string? Problem(string page, string target)
    {
        if (Scheme().IsMatch(target))
        {
            return null; // http(s), mailto: outside by nature, and meant to be
        }

        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? target : target[..hash];
        var anchor = hash < 0 ? null : target[(hash + 1)..];
        var file = path.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(path)));
        if (!file.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return "leads outside the repository";
        }

        if (!File.Exists(file) && !Directory.Exists(file))
        {
            return "leads to no file";
        }

        return anchor is not null && file.EndsWith(".md", StringComparison.Ordinal) && !Headings(file).Contains(anchor)
            ? $"names no heading of {Path.GetFileName(file)}"
            : null;
    }

    /// <summary>Markdown links <c>[text](target)</c> outside fenced code blocks, with their line numbers.</summary>
    private static IEnumerable<(int Line, string Target)> Links(string page)
    {
        var fenced = false;
        var lines = File.ReadAllLines(page);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (!fenced)
            {
                foreach (Match link in Link().Matches(InlineCode().Replace(lines[i], "")))
                {
                    yield return (i + 1, link.Groups["target"].Value);
                }
            }
        }
    }

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Headings(string page) => File.ReadAllLines(page)
        .Where(l => l.StartsWith('#'))
        .Select(l => l.TrimStart('#').Trim().ToLowerInvariant())
        .Select(h => new string(h.Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-'))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The comment on a line: what follows <c>//</c> that does not end a URL's scheme.</summary>
    private static string? CommentOf(string line)
    {
        for (var at = line.IndexOf("//", StringComparison.Ordinal); at >= 0; at = line.IndexOf("//", at + 2, StringComparison.Ordinal))
        {
            if (at == 0 || line[at - 1] != ':')
            {
                return line[(at + 2)..];
            }
        }

        return null;
    }

    private static IEnumerable<string> Files(string[] folders, string pattern) => folders
        .Select(f => Path.Combine(Root, f))
        .Where(Directory.Exists)
        .SelectMany(f => Directory.EnumerateFiles(f, pattern, SearchOption.AllDirectories))
        .Where(f => !Relative(f).Split('/').Any(part => part is "bin" or "obj" or "node_modules"))
        .Order(StringComparer.Ordinal);

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRoot()
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

    /// <summary>
    /// The product brief, the provider documents and their folder, cited by name, by their three-digit number
    /// (alone in parentheses or after "spec") or by file name (the number, an underscore and 16 hex digits).
    /// </summary>
    [GeneratedRegex(@"PRODUCT\.md|QUIRKS|specs/|\.\./shared|/work/shared|\bspec\s+0\d\d\b|\(0\d\d[,)]|\b0\d\d_[0-9a-f]{16}\b", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideCitation();

    [GeneratedRegex(@"\bdocs/[\w./-]+\.md\b")]
    private static partial Regex DocsPage();

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex("^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)]
    private static partial Regex Scheme();
}
