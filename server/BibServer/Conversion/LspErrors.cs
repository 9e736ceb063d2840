using StreamJsonRpc;
using LSP = BibServer.Protocol;

namespace BibServer.Conversion;

/// <summary>The errors the server answers with, made in one place so their codes stay right.</summary>
internal static class LspErrors
{
    public static LocalRpcException InvalidParams(string message) => new(message) { ErrorCode = LSP.ErrorCodes.InvalidParams };

    public static LocalRpcException InvalidRequest(string message) => new(message) { ErrorCode = LSP.ErrorCodes.InvalidRequest };

    public static LocalRpcException ServerNotInitialized(string message) => new(message) { ErrorCode = LSP.ErrorCodes.ServerNotInitialized };

    public static LocalRpcException InternalError(string message) => new(message) { ErrorCode = LSP.ErrorCodes.InternalError };

    public static LocalRpcException RequestFailed(string message) => new(message) { ErrorCode = LSP.ErrorCodes.RequestFailed };
}
