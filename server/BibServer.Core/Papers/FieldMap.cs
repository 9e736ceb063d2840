using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace BibServer.Core.Papers;

/// <summary>
/// A paper's other fields (volume, page, publisher, ...), by CSL variable name: immutable, in the order they
/// were given, names compared ordinally. One array of names and values: a paper has a handful of fields, and
/// a 100,000-paper library kept as immutable hash maps was a third of the objects the collector traced.
/// </summary>
public readonly struct FieldMap : IReadOnlyDictionary<string, string>, IEquatable<FieldMap>
{
    /// <summary>Name, value, name, value, ...; null when empty.</summary>
    private readonly string[]? _pairs;

    private FieldMap(string[]? pairs) => _pairs = pairs;

    public static FieldMap Empty => default;

    /// <summary>These fields, in order; of a name given twice, the first value is kept.</summary>
    public static FieldMap From(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var pairs = new List<string>();
        foreach (var (name, value) in fields)
        {
            if (IndexOf(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pairs), name) >= 0) continue;
            pairs.Add(name);
            pairs.Add(value);
        }
        return pairs.Count == 0 ? Empty : new FieldMap([.. pairs]);
    }

    /// <summary>Fields given as name, value, name, value, ...; of a name given twice, the first value is kept.</summary>
    public static FieldMap FromPairs(ReadOnlySpan<string> pairs)
    {
        if (pairs.IsEmpty) return Empty;
        var kept = new string[pairs.Length];
        var count = 0;
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            if (IndexOf(kept.AsSpan(0, count), pairs[i]) >= 0) continue;
            kept[count++] = pairs[i];
            kept[count++] = pairs[i + 1];
        }
        if (count < kept.Length) Array.Resize(ref kept, count);
        return new FieldMap(kept);
    }

    /// <summary>
    /// Fields given as name, value, name, value, ... whose names are distinct already (a map's own pairs, written to
    /// the library cache and read back): the array becomes the map as it is, neither copied nor searched.
    /// </summary>
    internal static FieldMap OfDistinctPairs(string[] pairs) => pairs.Length == 0 ? Empty : new FieldMap(pairs);

    public int Count => (_pairs?.Length ?? 0) / 2;

    public bool IsEmpty => _pairs is null;

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No field `{key}`.");

    public IEnumerable<string> Keys => this.Select(f => f.Key);

    public IEnumerable<string> Values => this.Select(f => f.Value);

    public bool ContainsKey(string key) => IndexOf(_pairs, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var at = IndexOf(_pairs, key);
        value = at >= 0 ? _pairs![at + 1] : null;
        return at >= 0;
    }

    /// <summary>These fields and one more; a name already present is an error, as for an immutable dictionary.</summary>
    public FieldMap Add(string key, string value)
    {
        if (ContainsKey(key)) throw new ArgumentException($"The field `{key}` is already present.", nameof(key));
        var pairs = new string[(_pairs?.Length ?? 0) + 2];
        _pairs?.CopyTo(pairs, 0);
        pairs[^2] = key;
        pairs[^1] = value;
        return new FieldMap(pairs);
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i + 1 < (_pairs?.Length ?? 0); i += 2) yield return KeyValuePair.Create(_pairs![i], _pairs[i + 1]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The same fields in the same order.</summary>
    public bool Equals(FieldMap other) => ReferenceEquals(_pairs, other._pairs) || (_pairs ?? []).AsSpan().SequenceEqual(other._pairs ?? []);

    public override bool Equals(object? obj) => obj is FieldMap other && Equals(other);

    public override int GetHashCode() => Count;

    public static bool operator ==(FieldMap left, FieldMap right) => left.Equals(right);

    public static bool operator !=(FieldMap left, FieldMap right) => !left.Equals(right);

    private static int IndexOf(ReadOnlySpan<string> pairs, string key)
    {
        for (var i = 0; i + 1 < pairs.Length; i += 2)
            if (string.Equals(pairs[i], key, StringComparison.Ordinal)) return i;
        return -1;
    }
}
