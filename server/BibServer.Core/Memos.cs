using System.Collections.Concurrent;

namespace BibServer.Core;

/// <summary>The name of one value a <see cref="Memos"/> keeps; one static instance per kind of value.</summary>
public sealed class MemoKey<T>(string name) where T : class
{
    public override string ToString() => name;
}

/// <summary>
/// Values computed from one immutable object (a merged library set, a note, a snapshot), kept on that object:
/// they live exactly as long as it does and need no static table. Each value is made once, on the first
/// thread that asks; others wait for it rather than build a second copy (a search index of 100,000 papers
/// is worth waiting for).
/// </summary>
public sealed class Memos
{
    // Made on the first value: every note and every snapshot has memos, and most never hold anything.
    private ConcurrentDictionary<object, Lazy<object>>? _values;

    /// <summary>
    /// The value, made from <paramref name="state"/> the first time it is asked for. Asked again, it is a look-up
    /// that allocates nothing (callers pass a static lambda and its state, not a closure): code lens asks it once
    /// per entry of a 20,000-entry library.
    /// </summary>
    public T Get<TState, T>(MemoKey<T> key, TState state, Func<TState, T> make) where T : class
    {
        var values = Volatile.Read(ref _values);
        if (values is not null && values.TryGetValue(key, out var made)) return (T)made.Value;
        values ??= Interlocked.CompareExchange(ref _values, new(), null) ?? _values!;
        return (T)values.GetOrAdd(key, static (_, arg) => new Lazy<object>(() => arg.make(arg.state), LazyThreadSafetyMode.ExecutionAndPublication),
            (make, state)).Value;
    }

    /// <summary>The value if it has been made, else null: for a memo that is only worth reusing, never worth making.</summary>
    public T? Find<T>(MemoKey<T> key) where T : class =>
        Volatile.Read(ref _values) is { } values && values.TryGetValue(key, out var lazy) && lazy.IsValueCreated ? (T)lazy.Value : null;

    public bool IsEmpty => Volatile.Read(ref _values) is not { } values || values.IsEmpty;
}
