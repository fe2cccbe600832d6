using System.ComponentModel.DataAnnotations;

namespace PbxHub.Storage;

/// <summary>Where the hub keeps its data (<c>PbxHub:Storage</c>).</summary>
internal sealed class StorageOptions
{
    public const string Section = "PbxHub:Storage";

    /// <summary><c>sqlite</c> (default, embedded, one node) or <c>postgres</c> (several nodes on one database).</summary>
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "PbxHub:Storage:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>The PostgreSQL connection string (Npgsql's form, <c>Host=…;Database=…;Username=…;Password=…</c>); required for <c>postgres</c>.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => Provider == "postgres";

    /// <summary>The SQLite database's folder; default <c>./data</c> (also <c>--data DIR</c>).</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply schema migrations when the service starts (default true); else run <c>pbxhub migrate</c>.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// SQLite's flush policy: <c>full</c> (default) flushes the log at every commit, so an acknowledged
    /// request survives a power cut; <c>normal</c> flushes at checkpoints only, which survives a crash or
    /// <c>kill -9</c> of the process but not of the machine, and is several times faster.
    /// </summary>
    [RegularExpression("^(full|normal)$", ErrorMessage = "PbxHub:Storage:Synchronous must be 'full' or 'normal'.")]
    public string Synchronous { get; set; } = "full";

    public string SqlitePath => Path.GetFullPath(Path.Combine(DataDirectory, "pbxhub.db"));
}
