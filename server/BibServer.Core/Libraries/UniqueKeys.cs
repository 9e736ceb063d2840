using System.Collections.Immutable;
using BibServer.Core.Papers;

namespace BibServer.Core.Libraries;

/// <summary>
/// The key table of a merge where every paper's source names its key and no key is defined twice: the common case,
/// BibTeX and CSL libraries, which a warm start merges right after reading its cache. The papers are the table's
/// entries, in library order; a slot holds a paper's place and the hash of its key. The hashes are computed on every
/// core, where each paper and its key are read once; the table is then filled without reading a key again, except
/// to compare two that hash alike. Where a key is found twice or a paper's key is BibServer's to make,
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

    /// <summary>The table of these papers' keys, or null when a key is not the source's or is there twice.</summary>
    public static UniqueKeys? TryBuild(ImmutableArray<Paper> papers)
    {
        var keyHashes = new int[papers.Length];
        var generated = 0;
        void Hash(int part)
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
                keyHashes[i] = string.GetHashCode(paper.Key);
            }
        }
        var parts = (papers.Length + Part - 1) / Part;
        if (papers.Length < ParallelThreshold)
        {
            for (var p = 0; p < parts; p++) Hash(p);
        }
        else
        {
            Parallel.For(0, parts, Hash);
        }
        if (generated != 0) return null;

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

    /// <summary>The place of the paper with this key (compared exactly, case included), or -1.</summary>
    public int Find(string key)
    {
        var hash = string.GetHashCode(key);
        for (var slot = hash & _mask; _places[slot] != 0; slot = (slot + 1) & _mask)
        {
            if (_hashes[slot] == hash && string.Equals(_papers[_places[slot] - 1].Key, key, StringComparison.Ordinal)) return _places[slot] - 1;
        }
        return -1;
    }
}
