using System.Data.Common;
using ErrorTracking.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses SQL storage on the builder from <c>AddErrorTracker</c>.</summary>
public static class SqlStorageBuilderExtensions
{
    /// <summary>Stores errors in an SQLite file, created on first use: <c>.UseSqlite("Data Source=errors.db")</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The SQLite connection string.</param>
    /// <param name="configure">Sets the store's options.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder UseSqlite(this IErrorTrackerBuilder builder, string connectionString, Action<SqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStore(SqlErrorStore.ForSqlite(connectionString, Options(configure)));
    }

    /// <summary>Stores errors in PostgreSQL through the application's data source, so every instance shares them.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="dataSource">The data source (for example an <c>NpgsqlDataSource</c>).</param>
    /// <param name="configure">Sets the store's options.</param>
    /// <returns>The builder.</returns>
    public static IErrorTrackerBuilder UsePostgres(this IErrorTrackerBuilder builder, DbDataSource dataSource, Action<SqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStore(SqlErrorStore.ForPostgres(dataSource, Options(configure)));
    }

    internal static SqlStoreOptions Options(Action<SqlStoreOptions>? configure)
    {
        var options = new SqlStoreOptions();
        configure?.Invoke(options);
        return options;
    }
}
