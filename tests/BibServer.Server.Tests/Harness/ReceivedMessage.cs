using System.Text.Json;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Harness;

/// <summary>A notification or request the server sent to the test client, in the order it arrived.</summary>
internal sealed record ReceivedMessage(int Index, string Method, JsonElement? Params, bool IsRequest)
{
    public T Read<T>() => (Params ?? default).Deserialize<T>(LSP.LspJson.Options)
        ?? throw new InvalidOperationException($"{Method} carried no params.");

    public override string ToString() => $"#{Index} {Method} {Params?.GetRawText()}";
}
