using System.ComponentModel.DataAnnotations;

namespace PbxHub.Storage;

/// <summary>Where the hub keeps its data (<c>PbxHub:Storage</c>).</summary>
internal sealed class StorageOptions
{
    public const string Section = "PbxHub:Storage";

    /// <summary><c>sqlite</c> (default, embedded). PostgreSQL arrives with the production issue.</summary>
    [RegularExpression("^(sqlite)$", ErrorMessage = "PbxHub:Storage:Provider must be 'sqlite'.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>The SQLite database's folder; default <c>./data</c> (also <c>--data DIR</c>).</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply schema migrations when the service starts (default true); else run <c>pbxhub migrate</c>.</summary>
    public bool MigrateOnStart { get; set; } = true;

    public string SqlitePath => Path.GetFullPath(Path.Combine(DataDirectory, "pbxhub.db"));
}
