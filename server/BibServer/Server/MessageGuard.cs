using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace BibServer.Server;

/// <summary>
/// The client's byte stream as JSON-RPC reads it, each message checked on the way. StreamJsonRpc ends the
/// connection on a body it cannot read, so one bad message would end the session. Here a well-framed body
/// that is not JSON is answered with -32700 (parse error), and JSON that is not a JSON-RPC message
/// (<c>[1,2,3]</c>, <c>{"foo":1}</c>) with -32600 (invalid request), as JSON-RPC 2.0 says, and the session
/// goes on: the body is handed on as a request of <see cref="Method"/>, whose handler answers with that error,
/// so the answer is written by StreamJsonRpc like every other. Framing that cannot be read (a missing, bad,
/// negative or huge Content-Length, a header block ended by bare line feeds, a header block past
/// <see cref="MaxHeader"/>) leaves no way to find the next message: the stream ends there, with one log line
/// saying why, and the server exits as when the client goes away.
/// </summary>
internal sealed class MessageGuard(Stream inner, ILogger logger) : Protocol.InputStream(inner)
{
    /// <summary>JSON-RPC 2.0's codes for a body that is not JSON and for JSON that is no message.</summary>
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;

    /// <summary>The method a rejected message is handed on as.</summary>
    public const string Method = "$/bibserver/rejectedMessage";

    /// <summary>No client writes headers longer than this (LSP has two header fields).</summary>
    public const int MaxHeader = 8 * 1024;

    /// <summary>The largest body accepted: a didOpen of a library as large as any BibServer reads.</summary>
    public const long MaxBody = 1L << 30;

    private readonly byte[] _in = new byte[64 * 1024];
    private int _inStart;
    private int _inEnd;
    private bool _innerEnded;
    private ReadOnlyMemory<byte> _out;

    /// <summary>The body of the message whose headers <see cref="_out"/> holds, handed on after them without a copy.</summary>
    private ReadOnlyMemory<byte> _outBody;
    private bool _ended;

    /// <summary>Registers the handler that answers a rejected message with its error.</summary>
    public static void AttachTo(JsonRpc rpc) =>
        rpc.AddLocalRpcMethod(Method, new Action<int, string>((code, message) => throw new LocalRpcException(message) { ErrorCode = code }));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_out.IsEmpty && !_outBody.IsEmpty) (_out, _outBody) = (_outBody, ReadOnlyMemory<byte>.Empty);
        while (_out.IsEmpty && !_ended) _out = await NextMessageAsync(cancellationToken).ConfigureAwait(false);
        if (_out.IsEmpty) return 0;
        var n = Math.Min(buffer.Length, _out.Length);
        _out[..n].CopyTo(buffer);
        _out = _out[n..];
        return n;
    }

    /// <summary>The next message as the reader gets it (headers and body), or empty at the end.</summary>
    private async ValueTask<ReadOnlyMemory<byte>> NextMessageAsync(CancellationToken cancellationToken)
    {
        // Headers: lines ended by CRLF, then an empty line.
        int headerEnd;
        while ((headerEnd = _in.AsSpan(_inStart, _inEnd - _inStart).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (BadHeaders() is { } bad) return End(bad);
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                return _inStart == _inEnd ? End(null) : End("the input ends inside a message's headers");
        }
        var headers = Encoding.ASCII.GetString(_in, _inStart, headerEnd);
        _inStart += headerEnd + 4;
        long? length = null;
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return End($"the header line \"{Shorten(line)}\" is not a header");
            if (!line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            if (!long.TryParse(line[(colon + 1)..].Trim(), System.Globalization.NumberStyles.None, null, out var value))
                return End($"its Content-Length \"{Shorten(line[(colon + 1)..].Trim())}\" is not a length");
            if (value > MaxBody) return End($"its Content-Length {value} is larger than any message BibServer takes ({MaxBody} bytes)");
            length = value;
        }
        if (length is not { } bodyLength) return End("a message has no Content-Length");

        // The body grows as it arrives, so that a claimed length alone allocates nothing.
        var received = new MemoryStream((int)Math.Min(bodyLength, 1 << 20));
        while (received.Length < bodyLength)
        {
            if (_inStart == _inEnd && !await FillAsync(cancellationToken).ConfigureAwait(false))
                return End($"the input ends {bodyLength - received.Length} bytes before the end of a message's body");
            var n = (int)Math.Min(bodyLength - received.Length, _inEnd - _inStart);
            received.Write(_in, _inStart, n);
            _inStart += n;
        }
        ReadOnlyMemory<byte> body = received.GetBuffer().AsMemory(0, (int)received.Length);

        var rejection = Check(body);
        if (rejection is null) return Frame(body);
        logger.LogWarning("Rejected a message from the client ({Code}): {Reason}.", rejection.Value.Code, rejection.Value.Message);
        var substitute = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["jsonrpc"] = "2.0",
            ["id"] = rejection.Value.Id,
            ["method"] = Method,
            ["params"] = new Dictionary<string, object> { ["code"] = rejection.Value.Code, ["message"] = rejection.Value.Message },
        });
        return Frame(substitute);
    }

    /// <summary>Why the headers read so far can never end as LSP's do, or null.</summary>
    private string? BadHeaders()
    {
        var pending = _in.AsSpan(_inStart, _inEnd - _inStart);
        if (pending.IndexOf("\n\n"u8) >= 0 || pending.IndexOf("\r\n\n"u8) >= 0) return "its headers end with bare line feeds, not CRLF CRLF";
        return pending.Length > MaxHeader ? $"its headers run past {MaxHeader} bytes without the blank line that ends them" : null;
    }

    /// <summary>Why a body is no JSON-RPC message, with the id to answer (null when it has none that can be read).</summary>
    internal static (int Code, string Message, object? Id)? Check(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 512 });
        }
        catch (JsonException e)
        {
            return (ParseError, "Parse error: the message is not JSON (" + e.Message.Split(" LineNumber")[0].TrimEnd('.', ' ') + ")", null);
        }
        using var parsed = document;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return (InvalidRequest, $"Invalid Request: a JSON-RPC message is an object, not {Article(root.ValueKind)}", null);
        object? id = null;
        var hasId = root.TryGetProperty("id", out var idElement);
        if (hasId)
        {
            if (idElement.ValueKind == JsonValueKind.String) id = idElement.GetString();
            else if (idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out var number)) id = number;
        }
        if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
            return (InvalidRequest, "Invalid Request: the message has no \"jsonrpc\": \"2.0\"", id);
        if (root.TryGetProperty("method", out var method))
        {
            if (method.ValueKind != JsonValueKind.String) return (InvalidRequest, "Invalid Request: \"method\" is not a string", id);
            if (hasId && idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
                return (InvalidRequest, "Invalid Request: \"id\" is neither a string nor a number", null);
            // "params": null is let through: Emacs's eglot sends it with shutdown and exit (the Emacs test), and the
            // router reads a null params as none.
            if (root.TryGetProperty("params", out var parameters) && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
                return (InvalidRequest, "Invalid Request: \"params\" is neither an object nor an array", id);
            return method.GetString() == Method ? (InvalidRequest, "Invalid Request: that method is the server's own", id) : null;
        }
        // A response to a request of the server's.
        if (hasId && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _))) return null;
        return (InvalidRequest, "Invalid Request: the message is neither a request, a notification nor a response", id);
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The headers of a message to hand on now; its body follows them (<see cref="_outBody"/>).</summary>
    private ReadOnlyMemory<byte> Frame(ReadOnlyMemory<byte> body)
    {
        _outBody = body;
        return Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
    }

    /// <summary>Ends the stream: at the client's end, quietly; on framing that cannot be read, with one log line.</summary>
    private ReadOnlyMemory<byte> End(string? why)
    {
        _ended = true;
        if (why is not null)
            logger.LogError("The client's input cannot be read as LSP messages any more ({Why}); the session ends here.", why);
        return ReadOnlyMemory<byte>.Empty;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_innerEnded) return false;
        if (_inStart > 0)
        {
            Array.Copy(_in, _inStart, _in, 0, _inEnd - _inStart);
            _inEnd -= _inStart;
            _inStart = 0;
        }
        if (_inEnd == _in.Length) return true; // Full of headers: the caller sees they are too long.
        var read = await Inner.ReadAsync(_in.AsMemory(_inEnd), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _innerEnded = true;
            return false;
        }
        _inEnd += read;
        return true;
    }
}
