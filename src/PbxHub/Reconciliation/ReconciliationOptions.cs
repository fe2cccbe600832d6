using Microsoft.Extensions.Options;

namespace PbxHub.Reconciliation;

/// <summary>How reconciliation reads the providers' histories (<c>PbxHub:Reconciliation</c>, docs/reconciliation.md).</summary>
internal sealed class ReconciliationOptions
{
    public const string Section = "PbxHub:Reconciliation";

    /// <summary>A history row without the hooks' call id joins a call of the same client that started this close to it.</summary>
    public TimeSpan MatchWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Each scheduled run reads again this much before the end of the last one (rows the provider wrote late).</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Calls still going on are not in the history yet: a run stops this long before now.</summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest period one scheduled run reads; a longer one is cut and the next run goes on.</summary>
    public TimeSpan MaxWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the schedule looks for accounts that are due.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed class ReconciliationOptionsValidator : IValidateOptions<ReconciliationOptions>
{
    public ValidateOptionsResult Validate(string? name, ReconciliationOptions o)
    {
        var failures = new List<string>();
        void Positive(TimeSpan value, string key, TimeSpan least)
        {
            if (value < least)
            {
                failures.Add($"{ReconciliationOptions.Section}:{key} must be at least {least:c} (it is {value:c})");
            }
        }

        Positive(o.MatchWindow, nameof(o.MatchWindow), TimeSpan.FromSeconds(1));
        Positive(o.Overlap, nameof(o.Overlap), TimeSpan.Zero);
        Positive(o.Settle, nameof(o.Settle), TimeSpan.Zero);
        Positive(o.MaxWindow, nameof(o.MaxWindow), TimeSpan.FromMinutes(1));
        Positive(o.CheckInterval, nameof(o.CheckInterval), TimeSpan.FromSeconds(1));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
