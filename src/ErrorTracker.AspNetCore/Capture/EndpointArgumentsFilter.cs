using Microsoft.AspNetCore.Http;

namespace ErrorTracking.AspNetCore;

/// <summary>
/// The endpoint filter of <c>CaptureArguments()</c>. When the handler throws, it hands the handler's arguments to the
/// request's scope from an exception filter that never catches, so the exception goes on unchanged; a call that
/// succeeds costs a try block, and an await when the handler completes asynchronously.
/// </summary>
internal sealed class EndpointArgumentsFilter
{
    private readonly EndpointArguments _arguments;
    private readonly EndpointFilterDelegate _next;

    private EndpointArgumentsFilter(EndpointArguments arguments, EndpointFilterDelegate next)
    {
        _arguments = arguments;
        _next = next;
    }

    /// <summary>The filter for one endpoint; its own delegate, untouched, when none of its arguments is worth showing.</summary>
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next) =>
        EndpointArguments.For(context.MethodInfo, context.ApplicationServices) is { } arguments
            ? new EndpointArgumentsFilter(arguments, next).InvokeAsync
            : next;

    private ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation)
    {
        ValueTask<object?> pending;
        try
        {
            pending = _next(invocation);
        }
        catch (Exception exception) when (_arguments.Attach(invocation.HttpContext, exception, invocation.Arguments))
        {
            // Never reached: the filter only looks.
            throw;
        }

        return pending.IsCompletedSuccessfully ? pending : AwaitAsync(pending, invocation);
    }

    private async ValueTask<object?> AwaitAsync(ValueTask<object?> pending, EndpointFilterInvocationContext invocation)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception exception) when (_arguments.Attach(invocation.HttpContext, exception, invocation.Arguments))
        {
            throw;
        }
    }
}
