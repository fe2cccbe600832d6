using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PbxHub.Providers;

namespace PbxHub.Accounts;

/// <summary>The account as the API shows it, with the URL to paste into the provider's settings.</summary>
/// <param name="Problem">Only when the account is unusable: why (its stored secrets cannot be decrypted).</param>
internal sealed record AccountView(
    string Id, string Provider, string TimeZone, string Country, IReadOnlyDictionary<string, string> Settings, string Source, string? HookUrl,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Problem = null);

internal sealed record AccountInput(
    string? Id, string? Provider, string? Secret, string? TimeZone, string? Country, Dictionary<string, string>? Settings);

internal static class AccountsEndpoints
{
    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/accounts").WithTags("Accounts");
        group.MapGet("/", async (AccountDirectory directory, ProviderRegistry providers, HttpRequest request, CancellationToken ct) =>
            TypedResults.Ok((await directory.ListAsync(ct)).Select(a => View(a, providers, BaseUrl(request))).ToList())).WithName("ListAccounts");

        group.MapPost("/", async Task<Results<Created<AccountView>, ValidationProblem, ProblemHttpResult>> (AccountInput input, AccountDirectory directory, ProviderRegistry providers, HttpRequest request, CancellationToken ct) =>
        {
            var account = FromInput(input, providers);
            try
            {
                await directory.AddAsync(account, ct);
            }
            catch (AccountInvalidException ex)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["account"] = [.. ex.Problems] });
            }
            catch (AccountConflictException ex)
            {
                return TypedResults.Problem(statusCode: 409, title: "Account exists", detail: ex.Message);
            }

            return TypedResults.Created($"/api/v1/accounts/{account.Id}", View(account, providers, BaseUrl(request)));
        }).WithName("CreateAccount").ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, AccountDirectory directory, CancellationToken ct) =>
        {
            var account = await directory.FindAsync(id, ct);
            if (account is null)
            {
                return TypedResults.Problem(statusCode: 404, title: "Unknown account", detail: $"No account '{id}'.");
            }

            if (account.Source == AccountSources.Configuration)
            {
                return TypedResults.Problem(statusCode: 409, title: "Account is declared in configuration", detail: "Remove it from PbxHub:Accounts instead.");
            }

            await directory.RemoveAsync(id, ct);
            return TypedResults.NoContent();
        }).WithName("DeleteAccount").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static Account FromInput(AccountInput input, ProviderRegistry providers)
    {
        var provider = (input.Provider ?? "").Trim().ToLowerInvariant();
        return new Account(
            (input.Id ?? "").Trim(),
            provider,
            string.IsNullOrEmpty(input.Secret) ? NewSecret() : input.Secret,
            input.TimeZone ?? AccountDefaults.TimeZoneFor(providers, provider),
            (input.Country ?? AccountDefaults.CountryFor(providers, provider)).ToUpperInvariant(),
            new Dictionary<string, string>(input.Settings ?? [], StringComparer.OrdinalIgnoreCase),
            AccountSources.Database);
    }

    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static AccountView View(Account a, ProviderRegistry providers, string baseUrl) =>
        new(a.Id, a.Provider, a.TimeZone, a.Country, Masked(a.Settings), a.Source,
            a.SecretsProblem is null && providers.Get(a.Provider).HookPath(a) is { } path ? baseUrl.TrimEnd('/') + path : null,
            a.SecretsProblem is null ? null : "Unusable: " + a.SecretsProblem);

    /// <summary>Credentials among the settings (Evrotel's token, UIS's password) are never shown back.</summary>
    private static Dictionary<string, string> Masked(IReadOnlyDictionary<string, string> settings) =>
        settings.ToDictionary(
            kv => kv.Key,
            kv => IsCredential(kv.Key) ? "***" : kv.Value,
            StringComparer.OrdinalIgnoreCase);

    internal static bool IsCredential(string key) =>
        key.EndsWith("Token", StringComparison.OrdinalIgnoreCase) || key.EndsWith("Password", StringComparison.OrdinalIgnoreCase)
        || key.EndsWith("Secret", StringComparison.OrdinalIgnoreCase);

    private static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}

internal static class AccountsServiceCollectionExtensions
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AccountsOptions>(o => o.Entries.AddRange(configuration.GetSection(AccountsOptions.Section).GetChildren()));
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<IValidateOptions<AccountsOptions>, AccountsOptionsValidator>();
        services.AddOptions<AccountsOptions>().ValidateOnStart();
        return services;
    }
}

/// <summary>Names every problem of every account declared in configuration, so start-up says what to fix.</summary>
internal sealed class AccountsOptionsValidator(ProviderRegistry providers) : IValidateOptions<AccountsOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountsOptions options)
    {
        // One failure per problem: start-up prints each on its own line.
        var failures = options.ToAccounts(providers)
            .SelectMany((a, i) => AccountValidation.Problems(a, providers).Select(p => $"PbxHub:Accounts:{i} ('{a.Id}'): {p}"))
            .ToList();
        var duplicates = options.ToAccounts(providers).GroupBy(a => a.Id).Where(g => g.Count() > 1).Select(g => $"PbxHub:Accounts: id '{g.Key}' is declared twice");
        failures.AddRange(duplicates);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
