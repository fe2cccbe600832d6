using System.Globalization;
using PbxHub.Providers;

namespace PbxHub.Simulation;

/// <summary>Everything <c>pbxhub simulate</c> was asked to do.</summary>
internal sealed record SimulationOptions
{
    public string Url { get; init; } = "http://localhost:5000";
    public required string Account { get; init; }
    public required string Secret { get; init; }
    public string UserNumber { get; init; } = "012345";
    public string? TimeZone { get; init; }
    public string? RecordingBaseUrl { get; init; }

    /// <summary>Where the simulator serves its calls' recordings (<c>--serve-recordings</c>); null: no server.</summary>
    public string? RecordingServer { get; init; }

    /// <summary>How long <c>--verify</c> waits for the hub to keep the recordings.</summary>
    public TimeSpan RecordingsWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The CRM stand-ins' base URLs (<c>--bitrix24</c>, <c>--amocrm</c>, <c>--retailcrm</c>): the calls are then checked there too.</summary>
    public string? Bitrix24 { get; init; }
    public string? AmoCrm { get; init; }
    public string? RetailCrm { get; init; }
    public string Provider { get; init; } = "sipuni";
    public string Scenario { get; init; } = ScenarioGenerators.Mixed;
    public int Calls { get; init; } = 100;
    public double Rate { get; init; }
    public int Concurrency { get; init; } = 8;
    public bool Shuffle { get; init; }
    public double Duplicate { get; init; }
    public int? Seed { get; init; }
    public string? ApiKey { get; init; }
    public bool Verify { get; init; }

    /// <summary>The share of calls (0..1) that lose events on purpose (<c>--lose</c>), and which (<c>--lose-mode</c>: both, calls, hangups).</summary>
    public double Lose { get; init; }
    public string LoseMode { get; init; } = "both";

    /// <summary>The provider's history stand-in (<c>--history</c>): it gets every call; <c>--verify</c> then reconciles first.</summary>
    public string? History { get; init; }

    public LossOptions Loss => new(Lose, LossOptions.ParseMode(LoseMode) ?? LossMode.Both);

    /// <summary>The registered providers, whose generators <c>simulate</c> can run.</summary>
    public ProviderCatalog Providers { get; init; } = ProviderCatalog.Builtin;

    public IScenarioGenerator? Generator => ScenarioGenerators.Find(Providers, Provider, GeneratorSettings);

    /// <summary>The base URL with a trailing slash, so relative paths keep any prefix the hub is mounted under.</summary>
    public Uri BaseUri => new(Url.EndsWith('/') ? Url : Url + "/");

    public GeneratorSettings GeneratorSettings => new(UserNumber, TimeZone, RecordingBaseUrl, RecordingServer?.TrimEnd('/'));

    /// <summary>Evrotel authenticates by header: its hook URL is <c>/hooks/{account}</c> and the secret is its token.</summary>
    private bool SecretInPath => Generator?.SecretInPath ?? true;

    public string HookUrl => new Uri(BaseUri, SecretInPath
        ? $"hooks/{Uri.EscapeDataString(Account)}/{Uri.EscapeDataString(Secret)}"
        : $"hooks/{Uri.EscapeDataString(Account)}").AbsoluteUri;

    /// <summary>The headers every hook request carries: the bare token in <c>Authorization</c> when it is not in the path.</summary>
    public IReadOnlyDictionary<string, string> HookHeaders => SecretInPath
        ? new Dictionary<string, string>()
        : new Dictionary<string, string> { ["Authorization"] = Secret };

    /// <summary>Every problem with the options, before anything is sent.</summary>
    public IReadOnlyList<string> Validate(IScenarioGenerator? generator)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"--url '{Url}' is not an http(s) URL");
        }

        if (generator is null)
        {
            // A registered provider without a generator is named as such, not as unknown.
            errors.Add(Providers.Find(Provider) is null
                ? $"--provider '{Provider}' is not one of: {string.Join(", ", Providers.Simulated)}"
                : $"--provider '{Provider}' has no simulator; these have one: {string.Join(", ", Providers.Simulated)}");
        }
        else if (Scenario != ScenarioGenerators.Mixed && !generator.Scenarios.Contains(Scenario))
        {
            errors.Add($"--scenario '{Scenario}' is not one of: {ScenarioGenerators.Mixed}, {string.Join(", ", generator.Scenarios)}");
        }

        Check(errors, Calls >= 1, "--calls must be at least 1");
        Check(errors, Rate >= 0 && double.IsFinite(Rate), "--rate must be 0 (as fast as possible) or a positive number of calls per second");
        Check(errors, Concurrency is >= 1 and <= 1024, "--concurrency must be from 1 to 1024");
        Check(errors, Duplicate is >= 0 and <= 1, "--duplicate must be a probability from 0 to 1");
        Check(errors, !Verify || !string.IsNullOrEmpty(ApiKey), "--verify needs --api-key to read the hub's API");
        Check(errors, !string.IsNullOrEmpty(Account) && !string.IsNullOrEmpty(Secret), "--account and --secret (or --token) are required");
        Check(errors, TimeZone is null || TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _), $"--time-zone '{TimeZone}' is not an IANA time zone");
        Check(errors, RecordingBaseUrl is null || Uri.TryCreate(RecordingBaseUrl, UriKind.Absolute, out _), $"--recording-base-url '{RecordingBaseUrl}' is not an absolute URL");
        Check(errors, RecordingServer is null || (Uri.TryCreate(RecordingServer, UriKind.Absolute, out var served) && served.Scheme == "http" && served.Port > 0), $"--serve-recordings '{RecordingServer}' is not an http URL with a port, e.g. http://127.0.0.1:5099");
        Check(errors, RecordingServer is null || Provider == "sipuni", "--serve-recordings works with --provider sipuni");
        CheckStandIn(errors, "bitrix24", Bitrix24, 5091);
        CheckStandIn(errors, "amocrm", AmoCrm, 5092);
        CheckStandIn(errors, "retailcrm", RetailCrm, 5092);
        CheckLoss(errors, generator);
        return errors;
    }

    private void CheckLoss(List<string> errors, IScenarioGenerator? generator)
    {
        Check(errors, Lose is >= 0 and <= 1, "--lose must be a share of calls from 0 to 1");
        Check(errors, LossOptions.ParseMode(LoseMode) is not null, $"--lose-mode '{LoseMode}' is not one of: {string.Join(", ", LossOptions.ModeNames)}");
        Check(errors, History is null || (Uri.TryCreate(History, UriKind.Absolute, out var standIn) && standIn.Scheme is "http" or "https"),
            $"--history '{History}' is not the http URL of the provider's history stand-in (pbxhub emulate {Provider}), e.g. http://127.0.0.1:5090");
        if (History is not null && generator is { History: null })
        {
            var withHistory = Providers.Simulated.Where(p => ScenarioGenerators.Find(Providers, p, GeneratorSettings)?.History is not null);
            errors.Add($"--history: the {Provider} simulator writes no call history; these do: {string.Join(", ", withHistory)}");
        }

        // The lost calls can come back only through reconciliation, which reads the history the stand-in serves.
        Check(errors, !Verify || Lose == 0 || History is not null,
            "--lose with --verify needs --history (the provider's history stand-in, with the account's history settings pointing at it): only reconciliation brings the lost calls back");
    }

    /// <summary>A CRM stand-in's URL (<c>--{crm}</c>): http or https, of <c>pbxhub emulate {crm}</c>.</summary>
    private static void CheckStandIn(List<string> errors, string crm, string? url, int port) =>
        Check(errors, url is null || (Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var standIn) && standIn.Scheme is "http" or "https"),
            $"--{crm} '{url}' is not the http URL of the stand-in (pbxhub emulate {crm}), e.g. http://127.0.0.1:{port}");

    /// <summary>The CRM stand-ins to check the calls in, each with its URL (with a trailing slash, so relative paths keep its prefix).</summary>
    public IEnumerable<(ICrmStandIn Crm, Uri Url)> CrmStandIns => new (ICrmStandIn, string?)[]
        {
            (new Bitrix24Check(), Bitrix24), (new AmoCrmCheck(), AmoCrm), (new RetailCrmCheck(), RetailCrm),
        }.Where(s => s.Item2 is not null).Select(s => (s.Item1, new Uri(s.Item2!.TrimEnd('/') + "/")));

    public string Describe(int seed) => string.Create(
        CultureInfo.InvariantCulture,
        $"{Calls} {Provider} calls ({Scenario}) to {HookUrl.Replace(Uri.EscapeDataString(Secret), "***", StringComparison.Ordinal)}, seed {seed}")
        + (Lose > 0 ? string.Create(CultureInfo.InvariantCulture, $", {Lose:0.##} of them losing events ({LoseMode})") : "")
        + (History is null ? "" : $", history to {History.TrimEnd('/')}/_emulator/history");

    private static void Check(List<string> errors, bool ok, string message)
    {
        if (!ok)
        {
            errors.Add(message);
        }
    }
}
