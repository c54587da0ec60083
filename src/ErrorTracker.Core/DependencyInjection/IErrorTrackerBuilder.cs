namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>AddErrorTracker</c>, to choose storage, masking, context, notification and ticketing. Every
/// package adds its choices as extension methods (<c>.UseSqlite(...)</c>).
/// </summary>
public interface IErrorTrackerBuilder
{
    /// <summary>The service collection the tracker is registered in.</summary>
    IServiceCollection Services { get; }
}
