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
    DateTimeOffset? PreviousSecretValidUntil, string? Secret,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Problem = null)
{
    public static SubscriptionView Of(Subscription s, bool withSecret = false) => new(
        s.Id, s.Url, s.EventTypes, s.Accounts, s.Enabled, s.Description, s.DisabledReason, s.CreatedAt, s.LastSuccessAt,
        s.FailingSince, s.PreviousSecretUntil, withSecret ? s.Secret : null, s.SecretsProblem is null ? null : "Nothing is sent: " + s.SecretsProblem);
}

internal static class Subscriptions
{
    public static string NewId() => "sub_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The ids of the rows CRM connectors own (docs/connectors.md): managed at /api/v1/connectors, not listed here.</summary>
    public const string ConnectorPrefix = "connector:";

    public static bool IsConnector(string id) => id.StartsWith(ConnectorPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Every problem with <paramref name="input"/>, for a new subscription (<paramref name="creating"/>: the url is
    /// required) or a change to one (absent fields stay as they are, so only what is given is checked).
    /// </summary>
    public static async Task<Dictionary<string, string[]>> ProblemsAsync(
        SubscriptionInput input, bool creating, AccountDirectory accounts, WebhookDestinations destinations, CancellationToken ct)
    {
        var problems = new Dictionary<string, string[]>();
        if (input.Url is null)
        {
            if (creating)
            {
                problems["url"] = ["url is required"];
            }
        }
        else if (!Uri.TryCreate(input.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems["url"] = [$"'{input.Url}' is not an absolute http(s) URL"];
        }
        else if (destinations.Problem(uri) is { } blocked)
        {
            problems["url"] = [blocked];
        }

        if (input.Description is { } description && (description.Contains('\0', StringComparison.Ordinal) || description.Length > 1000))
        {
            // PostgreSQL cannot store NUL in text: refused here rather than failing the insert.
            problems["description"] = ["description must be at most 1000 characters, without NUL"];
        }

        var unknownTypes = (input.EventTypes ?? []).Where(t => !CallEventTypes.All.Contains(t)).ToList();
        if (unknownTypes.Count > 0)
        {
            problems["eventTypes"] = [$"unknown event types: {string.Join(", ", unknownTypes)} (known: {string.Join(", ", CallEventTypes.All)}; none means all)"];
        }

        var unknownAccounts = new List<string>();
        foreach (var id in input.Accounts ?? [])
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

        return problems;
    }

    /// <summary>A new subscription from checked input, with a new secret.</summary>
    public static Subscription New(SubscriptionInput input, DateTimeOffset now) => new(
        NewId(), input.Url!, [.. (input.EventTypes ?? []).Distinct()], [.. (input.Accounts ?? []).Distinct()], input.Enabled ?? true,
        input.Description, WebhookSignature.NewSecret(), null, null, null, now, null, null);

    /// <summary>The change checked input asks for; what enabling clears is the store's rule (<see cref="ISubscriptionStore.UpdateAsync"/>).</summary>
    public static SubscriptionChange Change(SubscriptionInput input) => new(
        input.Url, input.EventTypes?.Distinct().ToList(), input.Accounts?.Distinct().ToList(), input.Enabled, input.Description);

    /// <summary>A new secret; the old one keeps signing alongside it until <paramref name="grace"/> has passed.</summary>
    /// <remarks>A secret that cannot be decrypted (<see cref="Subscription.SecretsProblem"/>) is simply replaced.</remarks>
    public static Subscription Rotate(Subscription s, TimeSpan grace, DateTimeOffset now)
    {
        var keepOld = grace > TimeSpan.Zero && s.SecretsProblem is null;
        return s with
        {
            Secret = WebhookSignature.NewSecret(), PreviousSecret = keepOld ? s.Secret : null, PreviousSecretUntil = keepOld ? now + grace : null,
            SecretsProblem = null,
        };
    }
}
