using System.Text.Json.Nodes;

namespace PbxHub.Simulation.Emulators;

internal sealed class RetailCrmEmulatorOptions
{
    public string ApiKey { get; set; } = "pbxhub-emulator-api-key";

    /// <summary>The system's active users: id → phone (RetailCRM's <c>phone</c> of a user).</summary>
    public Dictionary<int, string?> Users { get; set; } = new() { [1] = "+79990000100", [5] = "+79990000101", [7] = "+79990000102" };
}

/// <summary>A request the stand-in got: the method (<c>telephony/call/event</c>…), its parameters, and the error it answered (null: accepted).</summary>
internal sealed record RetailCrmRequest(string Method, JsonObject Parameters, int Status, string? Error);

/// <summary>
/// The state of a RetailCRM system's stand-in (docs/connectors/retailcrm.md#the-stand-in): the integration modules
/// registered, the call events and uploaded calls it took, every request it got, and the faults to answer with.
/// </summary>
internal sealed partial class RetailCrmSystem(RetailCrmEmulatorOptions options)
{
    /// <summary>RetailCRM's answer to a wrong key (HTTP 403).</summary>
    public const string WrongKey = "Wrong \"apiKey\" value.";

    private readonly Lock gate = new();
    private readonly List<RetailCrmRequest> requests = [];
    private readonly Dictionary<string, JsonObject> modules = new(StringComparer.Ordinal);
    private readonly List<JsonObject> events = [];
    private readonly List<JsonObject> calls = [];
    private int limited;

    public RetailCrmEmulatorOptions Options { get; } = options;

    /// <summary>Every request answered 503 with a page that is not RetailCRM's JSON (the system down).</summary>
    public bool Down { get; set; }

    public IReadOnlyList<RetailCrmRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    public IReadOnlyList<RetailCrmRequest> Accepted => [.. Requests.Where(r => r.Error is null)];

    /// <summary>The call events taken, in order.</summary>
    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (gate)
            {
                return [.. events];
            }
        }
    }

    /// <summary>The calls uploaded (each <c>externalId</c> once), in order.</summary>
    public IReadOnlyList<JsonObject> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls];
            }
        }
    }

    public JsonObject? Module(string code)
    {
        lock (gate)
        {
            return modules.TryGetValue(code, out var m) ? (JsonObject)m.DeepClone() : null;
        }
    }

    /// <summary>The next <paramref name="count"/> requests are answered 503 as over the system's request limit.</summary>
    public void LimitNext(int count) => Interlocked.Exchange(ref limited, count);

    /// <summary>Answers one API request: the key checked, the faults applied, then the method.</summary>
    public (int Status, JsonObject Body) Handle(string method, string? apiKey, JsonObject p)
    {
        var (status, body) = apiKey != Options.ApiKey ? Error(403, WrongKey)
            : TakeLimit() ? Error(503, "Service Unavailable: the limit of requests is exceeded")
            : Method(method, p);
        lock (gate)
        {
            requests.Add(new RetailCrmRequest(method, p, status, body["success"]?.GetValue<bool>() == true ? null : body["errorMsg"]?.ToString()));
        }

        return (status, body);
    }

    private (int, JsonObject) Method(string method, JsonObject p)
    {
        if (method.StartsWith("integration-modules/", StringComparison.Ordinal) && method.EndsWith("/edit", StringComparison.Ordinal))
        {
            return EditModule(method["integration-modules/".Length..^"/edit".Length], p);
        }

        return method switch
        {
            "telephony/call/event" => CallEvent(p),
            "telephony/calls/upload" => Upload(p),
            "users" => Users(p),
            _ => Error(404, "API method not found"),
        };
    }

    private bool TakeLimit()
    {
        while (true)
        {
            var n = Volatile.Read(ref limited);
            if (n <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref limited, n - 1, n) == n)
            {
                return true;
            }
        }
    }

    internal static (int, JsonObject) Error(int status, string message, JsonObject? errors = null)
    {
        var body = new JsonObject { ["success"] = false, ["errorMsg"] = message };
        if (errors is not null)
        {
            body["errors"] = errors;
        }

        return (status, body);
    }

    private static (int, JsonObject) Ok(JsonObject? more = null)
    {
        var body = new JsonObject { ["success"] = true };
        foreach (var (k, v) in more ?? [])
        {
            body[k] = v?.DeepClone();
        }

        return (200, body);
    }
}
