using System.Data.Common;

namespace ErrorTracking.Storage;

/// <summary>
/// What differs between databases, in one place per database. The store's queries are shared; a dialect gives
/// the schema, the atomic upsert and the few expressions each database spells its own way. Add SQL Server or
/// MySQL by writing one.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The database's name, for messages.</summary>
    public abstract string Name { get; }

    /// <summary>The literal for <see langword="false"/>.</summary>
    public abstract string FalseLiteral { get; }

    /// <summary>The literal for <see langword="true"/>.</summary>
    public abstract string TrueLiteral { get; }

    /// <summary>
    /// The schema, one entry per version; each entry's statements run in one transaction, once, and should be
    /// idempotent where the database can say so (SQLite cannot add a column only if it is missing).
    /// </summary>
    /// <param name="tables">The table names.</param>
    /// <returns>The migrations, oldest first; version N is entry N-1.</returns>
    public abstract IReadOnlyList<IReadOnlyList<string>> Migrations(SqlTableNames tables);

    /// <summary>
    /// A statement run first in the migration transaction that keeps other processes from migrating at the same
    /// time, or <see langword="null"/> when the transaction itself does.
    /// </summary>
    /// <param name="tables">The table names.</param>
    /// <returns>The statement, or <see langword="null"/>.</returns>
    public abstract string? MigrationLock(SqlTableNames tables);

    /// <summary>
    /// The atomic create-or-update of a group, returning the row as it stands afterwards: insert with count
    /// <c>@Occurrences</c>, or add <c>@Occurrences</c> to the count, move last seen forward and reopen it.
    /// Parameters: <c>@Hash</c>, <c>@ExceptionName</c>, <c>@Message</c>, <c>@Host</c>, <c>@Path</c>, <c>@Method</c>,
    /// <c>@Application</c>, <c>@Timestamp</c>, <c>@Occurrences</c>. Returned columns as in <c>GroupColumns</c>.
    /// </summary>
    /// <param name="tables">The table names.</param>
    /// <returns>The statement.</returns>
    public abstract string UpsertGroup(SqlTableNames tables);

    /// <summary>A case-insensitive "contains" test of a column against a parameter.</summary>
    /// <param name="column">The column expression.</param>
    /// <param name="parameter">The parameter, with its prefix (<c>@Host</c>).</param>
    /// <returns>The boolean expression.</returns>
    public abstract string Contains(string column, string parameter);

    /// <summary>
    /// A test that a column equals one of a list parameter's values. By default <c>column IN @List</c>, which
    /// Dapper expands into one parameter per value; a driver Dapper hands the list to as one array needs its own.
    /// </summary>
    /// <param name="column">The column expression.</param>
    /// <param name="parameter">The list parameter, with its prefix (<c>@Hashes</c>).</param>
    /// <returns>The boolean expression.</returns>
    public virtual string IsAnyOf(string column, string parameter) => $"{column} IN {parameter}";

    /// <summary>Prepares a newly opened connection (pragmas, session settings).</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the connection is ready.</returns>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs after a delete or a retention sweep removed rows, on the connection that removed them: whatever makes
    /// the removed values unrecoverable from the database's own files, as far as that is possible without waiting
    /// for other connections. It must not throw for what it could not finish: the rows are deleted all the same.
    /// By default nothing.
    /// </summary>
    /// <param name="connection">The open connection.</param>
    /// <returns>A task that completes when done, or when it gave up.</returns>
    public virtual Task ForgetDeletedAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>Text as this database can store it; by default unchanged.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text to store.</returns>
    public virtual string Storable(string text) => text;
}
