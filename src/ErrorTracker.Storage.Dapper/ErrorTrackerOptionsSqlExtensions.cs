using System.Data.Common;
using ErrorTracking.Configuration;
using ErrorTracking.Storage;
using Microsoft.Extensions.DependencyInjection;

// In the facade's namespace, so ErrorTracker.Init(o => o.UseSqlite(...)) needs no other using.
namespace ErrorTracking;

/// <summary>Chooses SQL storage for <see cref="ErrorTracker.Init"/>.</summary>
public static class ErrorTrackerOptionsSqlExtensions
{
    /// <summary>Stores errors in an SQLite file, created on first use: <c>o.UseSqlite("Data Source=errors.db")</c>.</summary>
    /// <param name="options">The tracker's options.</param>
    /// <param name="connectionString">The SQLite connection string.</param>
    /// <param name="configure">Sets the store's options.</param>
    /// <returns>The options.</returns>
    public static ErrorTrackerOptions UseSqlite(this ErrorTrackerOptions options, string connectionString, Action<SqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Store = SqlErrorStore.ForSqlite(connectionString, SqlStorageBuilderExtensions.Options(configure));
        return options;
    }

    /// <summary>Stores errors in PostgreSQL through a data source.</summary>
    /// <param name="options">The tracker's options.</param>
    /// <param name="dataSource">The data source.</param>
    /// <param name="configure">Sets the store's options.</param>
    /// <returns>The options.</returns>
    public static ErrorTrackerOptions UsePostgres(this ErrorTrackerOptions options, DbDataSource dataSource, Action<SqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Store = SqlErrorStore.ForPostgres(dataSource, SqlStorageBuilderExtensions.Options(configure));
        return options;
    }
}
