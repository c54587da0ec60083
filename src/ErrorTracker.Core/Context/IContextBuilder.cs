namespace ErrorTracking.Context;

/// <summary>
/// Adds context to an occurrence while it is captured, on the capturing thread: the .NET form of upstream's
/// <c>ContextBuilderMixin</c>. The ASP.NET Core adapter registers one that describes the current request; add
/// your own for a data centre, a tenant or a feature flag. Everything a builder adds is masked afterwards, so a
/// builder need not mask anything itself.
/// </summary>
public interface IContextBuilder
{
    /// <summary>Adds what this builder knows to <paramref name="context"/>. Exceptions thrown here are logged and ignored.</summary>
    /// <param name="context">The occurrence being captured.</param>
    void Build(CaptureContext context);
}
