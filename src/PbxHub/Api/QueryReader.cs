using System.Globalization;
using System.Text;

namespace PbxHub.Api;

/// <summary>
/// Reads the query string of a list endpoint (<c>/calls</c>, <c>/quarantine</c>): each parameter the same way
/// everywhere, and every error named after its parameter, for one validation problem (docs/api.md).
/// </summary>
internal sealed class QueryReader(IQueryCollection query)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public Dictionary<string, string[]> Errors { get; } = [];

    /// <summary>The parameter trimmed; null when absent or blank.</summary>
    public string? Text(string name) =>
        query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString().Trim() : null;

    /// <summary>The parameter when it is one of <paramref name="allowed"/>; an error otherwise.</summary>
    public string? OneOf(string name, IEnumerable<string> allowed)
    {
        var value = Text(name);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            Errors[name] = [$"'{value}' is not one of: {string.Join(", ", allowed)}"];
        }

        return value;
    }

    /// <summary>An ISO 8601 time; without an offset it is UTC.</summary>
    public DateTimeOffset? Time(string name)
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            return t;
        }

        Errors[name] = [$"'{value}' is not an ISO 8601 time"];
        return null;
    }

    /// <summary><c>limit</c>: 1 to <see cref="MaxLimit"/>, <see cref="DefaultLimit"/> when absent.</summary>
    public int Limit()
    {
        var limit = DefaultLimit;
        if (Text("limit") is { } text && (!int.TryParse(text, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            Errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}"];
        }

        return limit;
    }

    /// <summary><c>cursor</c>, as <paramref name="decode"/> reads the text a <see cref="Cursor(string)"/> wrapped; null when absent or not ours.</summary>
    public T? Cursor<T>(Func<string, T?> decode)
        where T : struct
    {
        if (Text("cursor") is not { } cursor)
        {
            return null;
        }

        if (Unwrap(cursor) is { } text && decode(text) is { } position)
        {
            return position;
        }

        Errors["cursor"] = ["the cursor is not one this API returned"];
        return null;
    }

    /// <summary>An opaque cursor (base64url) of where the next page starts.</summary>
    public static string Cursor(string position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(position)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Unwrap(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
