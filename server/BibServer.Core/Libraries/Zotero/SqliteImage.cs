using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BibServer.Core.Libraries.Zotero;

/// <summary>
/// An SQLite database opened from bytes in memory (<c>sqlite3_deserialize</c>), read-only: the core reads a
/// Zotero database without touching a file. The bytes are copied once into native memory, which lives as long
/// as the connection.
/// </summary>
internal sealed unsafe class SqliteImage : IDisposable
{
    private void* _memory;

    private SqliteImage(SqliteConnection connection, void* memory)
    {
        Connection = connection;
        _memory = memory;
    }

    public SqliteConnection Connection { get; }

    private int _length;
    private readonly List<SqliteConnection> _others = [];

    /// <summary>
    /// Another connection over the same image, for reading on another thread: the image is read-only, so both
    /// read the same memory and neither can change it.
    /// </summary>
    public SqliteConnection OpenAnother()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        _others.Add(connection);
        var rc = raw.sqlite3_deserialize(connection.Handle!, "main", (IntPtr)_memory, _length, _length, raw.SQLITE_DESERIALIZE_READONLY);
        if (rc != raw.SQLITE_OK) throw new SqliteException($"SQLite could not open the database image (error {rc})", rc);
        MapPages(connection, _length);
        return connection;
    }

    public static SqliteImage Open(ReadOnlySpan<byte> bytes)
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var memory = NativeMemory.Alloc((nuint)bytes.Length);
        var image = new SqliteImage(connection, memory) { _length = bytes.Length };
        try
        {
            var target = new Span<byte>(memory, bytes.Length);
            bytes.CopyTo(target);
            // A database in WAL mode says so in bytes 18 and 19 of its header; an image in memory has no log to
            // read, so it is marked as a rollback-journal database (the copy here is ours, the file is untouched).
            if (target.Length > 19 && target[18] == 2 && target[19] == 2)
            {
                target[18] = 1;
                target[19] = 1;
            }
            var rc = raw.sqlite3_deserialize(connection.Handle!, "main", (IntPtr)memory, bytes.Length, bytes.Length, raw.SQLITE_DESERIALIZE_READONLY);
            if (rc != raw.SQLITE_OK) throw new SqliteException($"SQLite could not open the database image (error {rc})", rc);
            MapPages(connection, bytes.Length);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Lets SQLite read the image's pages where they are (its in-memory file hands out pointers when memory mapping
    /// is on) rather than copy each page into its page cache: the image is already in memory, and a reading of a
    /// large library otherwise copies every page it visits, some many times over as the small cache churns.
    /// </summary>
    private static void MapPages(SqliteConnection connection, long length)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA mmap_size = {length}";
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Connection.Dispose();
        foreach (var other in _others) other.Dispose();
        if (_memory is not null)
        {
            NativeMemory.Free(_memory);
            _memory = null;
        }
    }
}
