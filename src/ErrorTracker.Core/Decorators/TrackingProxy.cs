using System.Diagnostics;
using System.Reflection;
using ErrorTracking.Capture;
using ErrorTracking.Records;

namespace ErrorTracking.Decorators;

/// <summary>
/// Stands in for a registered service: forwards every call to the real implementation and, when a call fails,
/// records the exception with the call's arguments and the implementation's fields, under the implementation
/// method's frame. Calls reach it from anywhere, reflection included, because the container hands it out.
/// </summary>
/// <remarks>Not sealed: <see cref="DispatchProxy"/> derives the proxy type from it at run time.</remarks>
[StackTraceHidden]
#pragma warning disable CA1852 // DispatchProxy needs an unsealed base to derive the run-time proxy type from.
internal class TrackingProxy<TService> : DispatchProxy, IDisposable, IAsyncDisposable
#pragma warning restore CA1852
    where TService : class
{
    private const int MaxInstanceFields = 50;
    private static readonly MethodInfo ObserveResultMethod =
        typeof(TrackingProxy<TService>).GetMethod(nameof(ObserveResultAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private static readonly MethodInfo ObserveValueResultMethod =
        typeof(TrackingProxy<TService>).GetMethod(nameof(ObserveValueResultAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private TService _target = null!;
    private IErrorTracker _tracker = null!;
    private bool _ownsTarget;

    /// <summary>Wraps <paramref name="target"/>; the proxy disposes it when <paramref name="ownsTarget"/>.</summary>
    public static TService Create(TService target, IErrorTracker tracker, bool ownsTarget)
    {
        var proxy = Create<TService, TrackingProxy<TService>>();
        var self = (TrackingProxy<TService>)(object)proxy;
        self._target = target;
        self._tracker = tracker;
        self._ownsTarget = ownsTarget;
        return proxy;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Exception? failure = null;
        try
        {
            // Unwrapped, the implementation's exception passes this frame's filter like any other: one record
            // with the arguments of every decorated call it crossed.
            var result = targetMethod.Invoke(_target, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null);
            return result is null ? null : Observe(targetMethod, args, result);
        }
        catch (Exception exception) when (Failing(failure = exception, targetMethod, args))
        {
            throw;
        }
        finally
        {
            FailedCall.Record(_tracker, failure);
        }
    }

    /// <summary>Disposes the implementation when the container created it for this proxy.</summary>
    public void Dispose()
    {
        if (_ownsTarget && _target is IDisposable disposable)
        {
            disposable.Dispose();
        }
        else if (_ownsTarget && _target is IAsyncDisposable asyncDisposable)
        {
            asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Disposes the implementation when the container created it for this proxy.</summary>
    /// <returns>A task that completes when it is disposed.</returns>
    public ValueTask DisposeAsync()
    {
        if (_ownsTarget && _target is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        Dispose();
        return ValueTask.CompletedTask;
    }

    // A task that has not finished yet fails later, on another stack: wait for it without changing what the caller
    // awaits. Only unfinished tasks take this path; the generic ones pay one reflection call for it.
    private object Observe(MethodInfo method, object?[]? args, object result)
    {
        switch (result)
        {
            case Task { IsCompletedSuccessfully: true }:
                return result;
            case Task task when method.ReturnType == typeof(Task):
                return ObserveResultAsync<bool>(task, method, args);
            case Task task when method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>):
                return ObserveResultMethod.MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]).Invoke(this, [task, method, args])!;
            case ValueTask { IsCompletedSuccessfully: false } valueTask:
                return new ValueTask(ObserveResultAsync<bool>(valueTask.AsTask(), method, args));
            default:
                if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    return ObserveValueResultMethod.MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]).Invoke(this, [result, method, args])!;
                }

                return result;
        }
    }

    private Task<T> ObserveResultAsync<T>(Task task, MethodInfo method, object?[]? args) =>
        ObservedTask<T>.Observe(task, _tracker, exception => Failing(exception, method, args));

    private ValueTask<T> ObserveValueResultAsync<T>(ValueTask<T> valueTask, MethodInfo method, object?[]? args) =>
        valueTask.IsCompletedSuccessfully ? valueTask : new ValueTask<T>(ObserveResultAsync<T>(valueTask.AsTask(), method, args));

    private bool Failing(Exception exception, MethodInfo method, object?[]? args)
    {
        FailedCall.Keep(_tracker, exception, Implementation(method), () => Values(method, args));
        return false;
    }

    // The implementation's method, so the values land under the frame that actually ran.
    private MethodInfo Implementation(MethodInfo interfaceMethod)
    {
        var definition = interfaceMethod.IsGenericMethod ? interfaceMethod.GetGenericMethodDefinition() : interfaceMethod;
        if (definition.DeclaringType is { IsInterface: true } declaring)
        {
            var map = _target.GetType().GetInterfaceMap(declaring);
            var index = Array.IndexOf(map.InterfaceMethods, definition);
            if (index >= 0)
            {
                return map.TargetMethods[index];
            }
        }

        return interfaceMethod;
    }

    private CallValue[] Values(MethodInfo method, object?[]? args)
    {
        var values = new List<CallValue>();
        var parameters = Implementation(method).GetParameters();
        for (var i = 0; i < parameters.Length && args is not null && i < args.Length; i++)
        {
            if (!parameters[i].IsOut || parameters[i].IsIn)
            {
                values.Add(new CallValue(parameters[i].Name ?? $"arg{i}", args[i], VariableOrigin.Argument));
            }
        }

        InstanceFields.Read(_target, values, values.Count + MaxInstanceFields);
        return [.. values];
    }
}
