namespace PbxHub.Cli;

/// <summary>Builds the hub's host the same way for <c>serve</c>, the other verbs and the tests.</summary>
internal static class HubHost
{
    /// <param name="args">ASP.NET Core's own arguments (<c>--urls</c>, <c>--PbxHub:…=…</c>).</param>
    /// <param name="configFile">An extra JSON configuration file (<c>--config</c>); environment variables still win.</param>
    /// <param name="dataDirectory">The SQLite folder (<c>--data</c>), which wins over everything.</param>
    public static WebApplication Build(
        string[] args, string? configFile = null, string? dataDirectory = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        BuiltInDefaults.AddTo(builder.Configuration);
        if (configFile is not null)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(args);
        }

        if (dataDirectory is not null)
        {
            builder.Configuration["PbxHub:Storage:DataDirectory"] = Path.GetFullPath(dataDirectory);
        }

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 16 * 1024 * 1024);
        builder.Services.AddPbxHub(builder.Configuration);
        builder.Services.AddSingleton(ValidatedOptions.Of(builder.Services));
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapPbxHub();
        return app;
    }
}
