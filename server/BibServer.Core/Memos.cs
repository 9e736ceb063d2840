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
    private readonly ConcurrentDictionary<object, Lazy<object>> _values = new();

    public T Get<T>(MemoKey<T> key, Func<T> make) where T : class =>
        (T)_values.GetOrAdd(key, static (_, make) => new Lazy<object>(make, LazyThreadSafetyMode.ExecutionAndPublication), make).Value;

    /// <summary>The value if it has been made, else null: for a memo that is only worth reusing, never worth making.</summary>
    public T? Find<T>(MemoKey<T> key) where T : class =>
        _values.TryGetValue(key, out var lazy) && lazy.IsValueCreated ? (T)lazy.Value : null;

    public bool IsEmpty => _values.IsEmpty;
}
