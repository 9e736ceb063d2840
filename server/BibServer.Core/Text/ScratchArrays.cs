using System.Buffers;

namespace BibServer.Core.Text;

/// <summary>
/// Pools for the large arrays that reads and searches work in for a moment (a megabyte of a file, a score per
/// paper). Not <see cref="ArrayPool{T}.Shared"/>: that one keeps an array of each size on every thread that ever
/// gave one back, until a full collection under memory pressure finds it unused; after a session at 100,000
/// papers it held 18 MB that way. These keep a few arrays of each size for the whole process, whichever
/// thread asks: a search takes two at most, and there are as many searches at once as cores.
/// </summary>
public static class ScratchArrays
{
    /// <summary>
    /// Byte arrays up to 4 MB are kept (a megabyte of a file at a time, a deferred field); a larger one (a whole
    /// text read once, for a rename) is made for its use and left to the collector, not kept for the session.
    /// </summary>
    public static readonly ArrayPool<byte> Bytes = ArrayPool<byte>.Create(1 << 22, maxArraysPerBucket: 2);

    /// <summary>A number per paper: kept up to 4 million papers.</summary>
    public static readonly ArrayPool<int> Ints = ArrayPool<int>.Create(1 << 22, maxArraysPerBucket: 4);
    public static readonly ArrayPool<long> Longs = ArrayPool<long>.Create(1 << 22, maxArraysPerBucket: 2);
}
