using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ErrorTracking.AspNetCore;

/// <summary>
/// Hands a failing controller action's arguments to the request's scope. <c>UseErrorTracker()</c> adds it to MVC's
/// global filters, innermost of all, so it sees the action's exception before another filter can handle it.
/// </summary>
internal sealed class ActionArgumentsFilter : IAsyncActionFilter, IOrderedFilter
{
    public int Order => int.MaxValue;

    public Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var executing = next();
        if (!executing.IsCompletedSuccessfully)
        {
            return ObserveAsync(context, executing);
        }

        Observe(context, executing.Result);
        return Task.CompletedTask;
    }

    private static async Task ObserveAsync(ActionExecutingContext context, Task<ActionExecutedContext> executing) =>
        Observe(context, await executing.ConfigureAwait(false));

    // Which arguments to show is worked out only after a failure: the successful calls pay nothing for it.
    private static void Observe(ActionExecutingContext executing, ActionExecutedContext executed)
    {
        try
        {
            if (executed.Exception is { } exception && executing.ActionDescriptor is ControllerActionDescriptor action
                && EndpointArguments.For(action.MethodInfo, executing.HttpContext.RequestServices) is { } arguments)
            {
                arguments.Attach(executing.HttpContext, exception, executing.ActionArguments);
            }
        }
        catch (Exception)
        {
            // Showing the arguments must never replace the action's own exception; it is recorded without them.
        }
    }
}
