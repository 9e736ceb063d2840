using System.Collections.Immutable;
using BibServer.Core.Papers;

namespace BibServer.Core.Libraries;

/// <summary>
/// The key table of a merge where every paper's source names its key and no key is defined twice: the common case,
/// BibTeX and CSL libraries, which a warm start merges right after reading its cache. The papers are the table's
/// entries, in library order; a slot holds a paper's place and the hash of its key (<see cref="HashOf"/>). A library
/// read from the cache brings its keys' hashes (<see cref="LibraryDocument.KeyHashes"/>), so its papers are not read
/// at all; the others' are hashed on every core, each paper and its key read once. The table is then filled without
/// reading a key, except to compare two that hash alike. Where a key is found twice or a paper's key is BibServer's to make,
/// <see cref="TryBuild"/> gives nothing and <see cref="LibrarySet"/> merges as it always does.
/// </summary>
internal sealed class UniqueKeys
{
    /// <summary>From this many papers on, keys are hashed on every core.</summary>
    private const int ParallelThreshold = 4096;

    private const int Part = 4096;

    private readonly ImmutableArray<Paper> _papers;

    /// <summary>Each slot's paper's place plus one (0: empty) and that paper's key's hash.</summary>
    private readonly int[] _places;
    private readonly int[] _hashes;
    private readonly int _mask;

    private UniqueKeys(ImmutableArray<Paper> papers, int[] places, int[] hashes)
    {
        _papers = papers;
        _places = places;
        _hashes = hashes;
        _mask = places.Length - 1;
    }

    /// <summary>
    /// A key's hash, the same in every process (the library cache keeps it): FNV-1a over its UTF-16 code units,
    /// then mixed (MurmurHash3's finaliser) so that the table's low bits differ for keys that differ only at their end.
    /// </summary>
    public static int HashOf(ReadOnlySpan<char> key)
    {
        var hash = 2166136261u;
        foreach (var c in key) hash = (hash ^ c) * 16777619u;
        hash ^= hash >> 16;
        hash *= 0x85EBCA6Bu;
        hash ^= hash >> 13;
        hash *= 0xC2B2AE35u;
        hash ^= hash >> 16;
        return (int)hash;
    }

    /// <summary>
    /// The table of these libraries' keys (<paramref name="papers"/>: theirs, in order), or null when a key is not the
    /// source's or is there twice. A library read from the cache brings its keys' hashes; the others' are computed.
    /// </summary>
    public static UniqueKeys? TryBuild(ImmutableArray<LibraryDocument> docs, ImmutableArray<Paper> papers)
    {
        var keyHashes = new int[papers.Length];
        var offset = 0;
        foreach (var doc in docs)
        {
            if (doc.KeyHashes is { } known) Array.Copy(known, 0, keyHashes, offset, known.Length);
            else if (!Hash(doc.Papers, keyHashes, offset)) return null;
            offset += doc.Papers.Length;
        }

        // At most half full: most look-ups end at their first or second slot.
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, papers.Length * 2));
        var places = new int[size];
        var hashes = new int[size];
        var mask = size - 1;
        for (var i = 0; i < papers.Length; i++)
        {
            var hash = keyHashes[i];
            var slot = hash & mask;
            while (places[slot] != 0)
            {
                if (hashes[slot] == hash && string.Equals(papers[places[slot] - 1].Key, papers[i].Key, StringComparison.Ordinal)) return null;
                slot = (slot + 1) & mask;
            }
            places[slot] = i + 1;
            hashes[slot] = hash;
        }
        return new UniqueKeys(papers, places, hashes);
    }

    /// <summary>Each paper's key's hash, into <paramref name="hashes"/> from <paramref name="offset"/>, on every core for many papers; false at a key that is not the source's.</summary>
    private static bool Hash(ImmutableArray<Paper> papers, int[] hashes, int offset)
    {
        var generated = 0;
        void HashPart(int part)
        {
            // A list paper anywhere means the full merge: the other parts stop as soon as they see it.
            if (Volatile.Read(ref generated) != 0) return;
            var end = Math.Min(papers.Length, (part + 1) * Part);
            for (var i = part * Part; i < end; i++)
            {
                var paper = papers[i];
                if (paper.KeyOrigin != KeyOrigin.Source)
                {
                    Volatile.Write(ref generated, 1);
                    return;
                }
                hashes[offset + i] = HashOf(paper.Key);
            }
        }
        var parts = (papers.Length + Part - 1) / Part;
        if (papers.Length < ParallelThreshold)
        {
            for (var p = 0; p < parts; p++) HashPart(p);
        }
        else
        {
            Parallel.For(0, parts, HashPart);
        }
        return generated == 0;
    }

    /// <summary>The place of the paper with this key (compared exactly, case included), or -1.</summary>
    public int Find(string key)
    {
        var hash = HashOf(key);
        for (var slot = hash & _mask; _places[slot] != 0; slot = (slot + 1) & _mask)
        {
            if (_hashes[slot] == hash && string.Equals(_papers[_places[slot] - 1].Key, key, StringComparison.Ordinal)) return _places[slot] - 1;
        }
        return -1;
    }
}
