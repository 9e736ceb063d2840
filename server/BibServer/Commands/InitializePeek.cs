using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using BibServer.Loading;
using BibServer.Server;
using Microsoft.Extensions.Logging;

namespace BibServer.Commands;

/// <summary>
/// Standard input as JSON-RPC reads it, with the first message looked at on the way: a client's first message
/// is initialize, which names the workspace, and it arrives while the server is still starting (loading and
/// compiling its JSON-RPC and logging code takes a third of a second). Reading it at once lets the libraries
/// it names be read ahead from the process's first moments (<see cref="LibraryPrefetch"/>); the bytes are
/// handed on unchanged, so the server answers initialize as it always does.
/// </summary>
internal sealed class InitializePeek : Protocol.InputStream
{
    private readonly Task<byte[]> _first;
    private byte[]? _buffered;
    private int _offset;

    private LibraryPrefetch? _prefetch;

    /// <summary>
    /// The read ahead started from the first message, once that has been handed on (it is started before);
    /// null when the first message was not an initialize naming a workspace, or has not been handed on.
    /// Handed over once: this stream lives as long as the session, and what was read ahead must not.
    /// </summary>
    public LibraryPrefetch? TakePrefetch() => _first.IsCompletedSuccessfully ? Interlocked.Exchange(ref _prefetch, null) : null;

    public InitializePeek(Stream inner, ILogger logger)
        : base(inner)
    {
        // The console stream reads synchronously: one thread waits for the client's first bytes.
        _first = Task.Run(() =>
        {
            var (bytes, body, length) = ReadFirstMessage();
            if (body >= 0 && body + length <= bytes.Length) _prefetch = Start(bytes.AsMemory(body, length), logger);
            return bytes;
        });
    }

    /// <summary>
    /// Reads until the first message (headers and the body their Content-Length gives) is in; returns every
    /// byte read (the next message's first bytes may be among them) and where the first body is, if found.
    /// </summary>
    private (byte[] Bytes, int Body, int Length) ReadFirstMessage()
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        var body = -1;
        var length = -1;
        while (body < 0 || buffer.Length < body + length)
        {
            var read = Inner.Read(chunk, 0, chunk.Length);
            if (read == 0) break;
            buffer.Write(chunk, 0, read);
            if (body >= 0) continue;
            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            var end = bytes.IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                if (bytes.Length > 64 * 1024) break; // Not LSP's headers: hand on what was read.
                continue;
            }
            body = end + 4;
            length = ContentLength(Encoding.ASCII.GetString(bytes[..end]));
            if (length < 0) break;
        }
        return (buffer.ToArray(), length < 0 ? -1 : body, length);
    }

    private static int ContentLength(string headers)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line[(colon + 1)..].Trim(), out var length) && length >= 0) return length;
        }
        return -1;
    }

    /// <summary>The read ahead for an initialize message's workspace and settings; null for anything else.</summary>
    private static LibraryPrefetch? Start(ReadOnlyMemory<byte> body, ILogger logger)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String || method.GetString() != "initialize"
                || !json.RootElement.TryGetProperty("params", out var request) || request.ValueKind != JsonValueKind.Object) return null;
            string? Text(JsonElement parent, string name) =>
                parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var folders = request.TryGetProperty("workspaceFolders", out var list) && list.ValueKind == JsonValueKind.Array
                ? [.. list.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Object).Select(f => Text(f, "uri")).OfType<string>()]
                : ImmutableArray<string>.Empty;
            var roots = WorkspaceRoots.Of(folders, Text(request, "rootUri"), Text(request, "rootPath"));
            var (settings, _) = ServerSettings.Parse(request.TryGetProperty("initializationOptions", out var options) ? options.Clone() : null);
            return roots.IsEmpty ? null : new LibraryPrefetch(roots, settings.Libraries, logger, settings.Zotero);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON, or not what initialize looks like: the server's own reading will say so.
            return null;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (Buffered() is { } first) return Take(first, buffer);
        return Inner.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_buffered is null || _offset < _buffered.Length)
        {
            var first = await _first.WaitAsync(cancellationToken).ConfigureAwait(false);
            _buffered ??= first;
            if (_offset < _buffered.Length) return Take(_buffered, buffer.Span);
        }
        return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first message's bytes while some are left to hand on (waiting for them to be read), else null.</summary>
    private byte[]? Buffered()
    {
        _buffered ??= _first.GetAwaiter().GetResult();
        return _offset < _buffered.Length ? _buffered : null;
    }

    private int Take(byte[] first, Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, first.Length - _offset);
        first.AsSpan(_offset, count).CopyTo(buffer);
        _offset += count;
        return count;
    }
}
