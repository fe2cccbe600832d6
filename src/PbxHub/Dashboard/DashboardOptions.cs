using Microsoft.Extensions.Options;

namespace PbxHub.Dashboard;

/// <summary>A person who may sign in to the dashboard with a name and password instead of an API key.</summary>
internal sealed class DashboardUser
{
    public string Name { get; set; } = "";

    public string Password { get; set; } = "";
}

/// <summary>The dashboard (<c>PbxHub:Dashboard</c>): its users and how long a sign-in lasts.</summary>
internal sealed class DashboardOptions
{
    public const string Section = "PbxHub:Dashboard";

    /// <summary>E.g. <c>PbxHub__Dashboard__Users__0__Name=anna</c>, <c>PbxHub__Dashboard__Users__0__Password=…</c>.</summary>
    public List<DashboardUser> Users { get; } = [];

    /// <summary>How long a sign-in lasts without use (sliding).</summary>
    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromHours(12);
}

internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    /// <summary>Short passwords in a configuration file would be guessed; API keys are long by construction.</summary>
    public const int MinPasswordLength = 8;

    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var failures = new List<string>();
        if (options.CookieLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{DashboardOptions.Section}:CookieLifetime must be positive (e.g. 12:00:00)");
        }

        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            if (string.IsNullOrWhiteSpace(user.Name))
            {
                failures.Add($"{DashboardOptions.Section}:Users:{i}:Name is empty");
            }

            if (user.Password.Length < MinPasswordLength)
            {
                failures.Add($"{DashboardOptions.Section}:Users:{i}:Password must have at least {MinPasswordLength} characters");
            }
        }

        failures.AddRange(options.Users.GroupBy(u => u.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => $"{DashboardOptions.Section}:Users: '{g.Key}' is declared twice"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
