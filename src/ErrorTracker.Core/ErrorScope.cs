using System.Reflection;
using ErrorTracking.Capture;
using ErrorTracking.Context;
using ErrorTracking.Records;

namespace ErrorTracking;

/// <summary>
/// Extra key/values for everything recorded on this async flow while the scope is open; the .NET form of
/// upstream's tracking scope. Use it like <c>TransactionScope</c>: call <see cref="Complete"/> at the end of the
/// block; a scope disposed without it records the last exception thrown inside it.
/// </summary>
public sealed class ErrorScope : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly List<IContextBuilder> _builders = [];
    private readonly List<MethodArguments> _arguments = [];
    private readonly Action<ErrorScope>? _onDispose;
    private List<Exception>? _deferred;
    private Exception? _lastThrown;
    private volatile bool _completed;
    private bool _recordsEscapingExceptions;
    private int _disposed;

    internal ErrorScope(ErrorScope? parent, IReadOnlyDictionary<string, object?>? initial, Action<ErrorScope>? onDispose)
    {
        Parent = parent;
        _onDispose = onDispose;
        if (initial is not null)
        {
            foreach (var (key, value) in initial)
            {
                _values[key] = value;
            }
        }
    }

    internal ErrorScope? Parent { get; }

    internal Exception? LastThrown => Volatile.Read(ref _lastThrown);

    internal bool IsCompleted => _completed;

    /// <summary>Adds or replaces a key/value.</summary>
    /// <param name="key">The key; masked like any name when it looks secret.</param>
    /// <param name="value">The value.</param>
    /// <returns>This scope, for chaining.</returns>
    public ErrorScope Set(string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            _values[key] = value;
        }

        return this;
    }

    /// <summary>
    /// Adds a context builder that runs, after the registered ones, for everything recorded inside this scope: how
    /// the web integration describes the current request to a <c>RecordException</c> made anywhere in it.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>This scope, for chaining.</returns>
    public ErrorScope AddContextBuilder(IContextBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        lock (_lock)
        {
            _builders.Add(builder);
        }

        return this;
    }

    /// <summary>
    /// Says that <paramref name="exception"/> was thrown while <paramref name="method"/> ran with these arguments: how
    /// the web integration hands over the arguments of a failing endpoint. When that exception is recorded inside this
    /// scope, on its own or inside another one, each argument is rendered and masked like any variable and shown under the
    /// method's frame as <see cref="VariableOrigin.Argument"/>. Other exceptions, and recordings made after the scope
    /// ended, do not get them, and they are never part of the default grouping key.
    /// </summary>
    /// <remarks>
    /// The JIT may inline a small method, and a method that returns a task without awaiting it has left the stack
    /// before the task fails; when no frame of the exception is the method's, the arguments are shown under its first
    /// in-app frame (else its first frame), each name followed by the method it belongs to: <c>id (of Shop.Orders.Create)</c>.
    /// An exception without frames (created but never thrown, inside another) shows none. A second call for the same
    /// exception and method replaces the first.
    /// </remarks>
    /// <param name="exception">The exception thrown while the method ran.</param>
    /// <param name="method">
    /// The method as the user wrote it: an async method or a lambda matches the state machine or closure frames the
    /// compiler made of it.
    /// </param>
    /// <param name="arguments">Its arguments by parameter name; those left out are not shown. Their values are rendered when the exception is recorded.</param>
    /// <returns>This scope, for chaining.</returns>
    public ErrorScope AddArguments(Exception exception, MethodBase method, IEnumerable<KeyValuePair<string, object?>> arguments)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(arguments);
        var added = new MethodArguments(exception, method, [.. arguments.Select(a => new CallValue(a.Key, a.Value, VariableOrigin.Argument))]);
        lock (_lock)
        {
            _arguments.RemoveAll(a => ReferenceEquals(a.Exception, exception) && a.Method.Equals(method));
            _arguments.Add(added);
        }

        return this;
    }

    /// <summary>
    /// Says that whoever opened the scope records the exceptions that escape the work it covers, and disposes it when
    /// that work ends: how the web integration covers a request. Decorated calls (<see cref="TrackExceptionsAttribute"/>,
    /// tracked lambdas, tracking proxies) inside it then leave the recording to it instead of recording where they fail,
    /// so the record has the whole stack, the request as the application read it and the arguments of every decorated
    /// call the exception passed, across awaits too. Those failures that are handled inside and never escape are recorded
    /// when the scope is disposed.
    /// </summary>
    /// <returns>This scope, for chaining.</returns>
    public ErrorScope RecordsEscapingExceptions()
    {
        lock (_lock)
        {
            _recordsEscapingExceptions = true;
        }

        return this;
    }

    /// <summary>Marks the block as finished normally: disposing the scope then records nothing.</summary>
    public void Complete() => _completed = true;

    /// <summary>Ends the scope, recording the last exception thrown inside it unless <see cref="Complete"/> was called.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            // Under the lock: a failure is either left to this scope before it ends, or refused and recorded at once.
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }
        }

        _onDispose?.Invoke(this);
    }

    internal bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    /// <summary>Leaves the recording of a decorated call's failure to this scope, if it records escaping exceptions and is still open.</summary>
    internal bool TryDefer(Exception exception)
    {
        lock (_lock)
        {
            if (!_recordsEscapingExceptions || IsDisposed)
            {
                return false;
            }

            (_deferred ??= []).Add(exception);
            return true;
        }
    }

    /// <summary>The failures left to this scope; once it is disposed, no more are added.</summary>
    internal Exception[] TakeDeferred()
    {
        lock (_lock)
        {
            var taken = _deferred?.ToArray() ?? [];
            _deferred = null;
            return taken;
        }
    }

    /// <summary>The nearest scope from <paramref name="scope"/> upwards that is still open.</summary>
    internal static ErrorScope? Open(ErrorScope? scope)
    {
        while (scope is not null && scope.IsDisposed)
        {
            scope = scope.Parent;
        }

        return scope;
    }

    /// <summary>This scope's and its parents' key/values, outermost first, so inner values win.</summary>
    internal IEnumerable<KeyValuePair<string, object?>> Entries()
    {
        var chain = new Stack<ErrorScope>();
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (!scope.IsDisposed || scope == this)
            {
                chain.Push(scope);
            }
        }

        var result = new List<KeyValuePair<string, object?>>();
        foreach (var scope in chain)
        {
            lock (scope._lock)
            {
                result.AddRange(scope._values);
            }
        }

        return result;
    }

    /// <summary>The context builders of this scope and its open parents, outermost first.</summary>
    internal IReadOnlyList<IContextBuilder> ContextBuilders() => Collect(scope => scope._builders);

    /// <summary>The method arguments handed to this scope and its open parents, outermost first.</summary>
    internal IReadOnlyList<MethodArguments> Arguments() => Collect(scope => scope._arguments);

    private List<T> Collect<T>(Func<ErrorScope, List<T>> items)
    {
        var collected = new List<T>();
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (!scope.IsDisposed || scope == this)
            {
                lock (scope._lock)
                {
                    collected.InsertRange(0, items(scope));
                }
            }
        }

        return collected;
    }

    internal void ObserveThrown(Exception exception)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            Volatile.Write(ref scope._lastThrown, exception);
        }
    }
}
