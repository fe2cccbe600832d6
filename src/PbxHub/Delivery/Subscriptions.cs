using System.Security.Cryptography;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>What a user sends to create or change a subscription; absent fields keep their value (or default).</summary>
internal sealed record SubscriptionInput(string? Url, string[]? EventTypes, string[]? Accounts, bool? Enabled, string? Description);

/// <summary>A subscription as the API shows it: never the secret, except once at creation or rotation.</summary>
internal sealed record SubscriptionView(
    string Id, string Url, IReadOnlyList<string> EventTypes, IReadOnlyList<string> Accounts, bool Enabled, string? Description,
    string? DisabledReason, DateTimeOffset CreatedAt, DateTimeOffset? LastSuccessAt, DateTimeOffset? FailingSince,
    DateTimeOffset? PreviousSecretValidUntil, string? Secret)
{
    public static SubscriptionView Of(Subscription s, bool withSecret = false) => new(
        s.Id, s.Url, s.EventTypes, s.Accounts, s.Enabled, s.Description, s.DisabledReason, s.CreatedAt, s.LastSuccessAt,
        s.FailingSince, s.PreviousSecretUntil, withSecret ? s.Secret : null);
}

internal static class Subscriptions
{
    public static string NewId() => "sub_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Applies <paramref name="input"/> to <paramref name="current"/> (or to a new subscription), naming every problem.</summary>
    public static async Task<(Subscription? Result, Dictionary<string, string[]> Problems)> ApplyAsync(
        SubscriptionInput input, Subscription? current, AccountDirectory accounts, DateTimeOffset now, CancellationToken ct)
    {
        var problems = new Dictionary<string, string[]>();
        var url = input.Url ?? current?.Url;
        if (url is null)
        {
            problems["url"] = ["url is required"];
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems["url"] = [$"'{url}' is not an absolute http(s) URL"];
        }

        var types = input.EventTypes ?? current?.EventTypes.ToArray() ?? [];
        var unknownTypes = types.Where(t => !CallEventTypes.All.Contains(t)).ToList();
        if (unknownTypes.Count > 0)
        {
            problems["eventTypes"] = [$"unknown event types: {string.Join(", ", unknownTypes)} (known: {string.Join(", ", CallEventTypes.All)}; none means all)"];
        }

        var accountIds = input.Accounts ?? current?.Accounts.ToArray() ?? [];
        var unknownAccounts = new List<string>();
        foreach (var id in accountIds)
        {
            if (await accounts.FindAsync(id, ct) is null)
            {
                unknownAccounts.Add(id);
            }
        }

        if (unknownAccounts.Count > 0)
        {
            problems["accounts"] = [$"unknown accounts: {string.Join(", ", unknownAccounts)} (none means all)"];
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var enabled = input.Enabled ?? current?.Enabled ?? true;
        var reenabled = enabled && current is { Enabled: false };
        var result = current is null
            ? new Subscription(NewId(), url!, [.. types.Distinct()], [.. accountIds.Distinct()], enabled, input.Description,
                WebhookSignature.NewSecret(), null, null, null, now, null, null)
            : current with
            {
                Url = url!, EventTypes = [.. types.Distinct()], Accounts = [.. accountIds.Distinct()], Enabled = enabled,
                Description = input.Description ?? current.Description,
                DisabledReason = enabled ? null : current.DisabledReason,
                FailingSince = reenabled ? null : current.FailingSince,
            };
        return (result, problems);
    }

    /// <summary>A new secret; the old one keeps signing alongside it until <paramref name="grace"/> has passed.</summary>
    public static Subscription Rotate(Subscription s, TimeSpan grace, DateTimeOffset now) =>
        s with { Secret = WebhookSignature.NewSecret(), PreviousSecret = grace > TimeSpan.Zero ? s.Secret : null, PreviousSecretUntil = grace > TimeSpan.Zero ? now + grace : null };
}
