using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Mesh.Silo.Storage;

/// <summary>Registers <see cref="SqliteGrainStorage"/> as a named grain storage provider.</summary>
public static class SqliteStorageExtensions
{
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteStorageOptions> configure)
    {
        var options = new SqliteStorageOptions();
        configure(options);
        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            throw new ArgumentException("The SQLite data folder is empty: pass --data DIR or set Mesh__DataDir.");
        }
        builder.Services.AddGrainStorage(name, (services, _) => new SqliteGrainStorage(
            options,
            services.GetRequiredService<IGrainStorageSerializer>(),
            services.GetRequiredService<ILogger<SqliteGrainStorage>>()));
        return builder;
    }
}
