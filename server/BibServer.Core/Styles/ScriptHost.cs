using Jint;
using Microsoft.ClearScript;
using Microsoft.ClearScript.V8;

namespace BibServer.Core.Styles;

/// <summary>Which JavaScript engine runs citeproc-js.</summary>
public enum ScriptRuntime
{
    /// <summary>V8 where its native library loads (linux-x64 ships with the server), else Jint.</summary>
    Best,

    /// <summary>Jint: managed code, runs everywhere .NET does; several times slower on citeproc-js (docs/benchmarks.md).</summary>
    Jint,

    /// <summary>V8 through ClearScript: compiled JavaScript; needs the platform's native package.</summary>
    V8,
}

/// <summary>A JavaScript error or an engine failure, the same whichever engine ran the script.</summary>
public sealed class ScriptFailure(string message, Exception inner) : Exception(message, inner);

/// <summary>The little citeproc-js needs of a JavaScript engine: run a script, call a global function.</summary>
internal abstract class ScriptHost
{
    public abstract ScriptRuntime Runtime { get; }

    public abstract void Execute(string script, string name = "script.js");

    /// <summary>Calls a global function with string arguments; its answer if it is a string, else null.</summary>
    public abstract string? Call(string function, params string[] arguments);

    /// <summary>A full collection of the engine's own heap, when the server is idle: memory back to the system.</summary>
    public virtual void Collect()
    {
    }

    /// <summary>The engine's heap, "used / total MB", where the engine says.</summary>
    public virtual string? HeapSummary => null;

    public static ScriptHost Create(ScriptRuntime runtime)
    {
        if (runtime == ScriptRuntime.Jint) return new JintHost();
        try
        {
            return new V8Host();
        }
        catch (Exception) when (runtime == ScriptRuntime.Best)
        {
            // No native V8 for this platform (only linux-x64 is shipped): Jint runs everywhere.
            return new JintHost();
        }
    }

    private sealed class JintHost : ScriptHost
    {
        private readonly Engine _engine = new(options => options
            .Strict(false)
            .LimitRecursion(4096)
            .TimeoutInterval(TimeSpan.FromSeconds(60)));

        public override ScriptRuntime Runtime => ScriptRuntime.Jint;

        public override void Execute(string script, string name = "script.js")
        {
            try
            {
                _engine.Constraints.Reset();
                _engine.Execute(Engine.PrepareScript(script, name));
            }
            catch (Exception e) when (e is Jint.Runtime.JavaScriptException or JintException)
            {
                throw new ScriptFailure(e.Message, e);
            }
        }

        public override string? Call(string function, params string[] arguments)
        {
            try
            {
                // Jint counts its time limit from the last reset, not from the call.
                _engine.Constraints.Reset();
                var result = _engine.Invoke(function, arguments.Cast<object>().ToArray());
                return result.IsString() ? result.AsString() : null;
            }
            catch (Exception e) when (e is Jint.Runtime.JavaScriptException or JintException)
            {
                throw new ScriptFailure(e.Message, e);
            }
        }
    }

    private sealed class V8Host : ScriptHost
    {
        /// <summary>
        /// One runtime, one engine, one context. citeproc-js with a style and the locales keeps some 12-17 MB of
        /// live objects; V8's defaults size the young generation for browsers (its heap grew to 43 MB reserved
        /// over 300 renders, against 20 MB with 4 MB of young generation), and its background threads (concurrent
        /// compilation and marking, each with its own allocator arena) cost some 20 MB more resident memory
        /// with no faster renders on two shared cores (docs/benchmarks.md). The old generation keeps V8's default
        /// limit: a limit V8 reaches ends the process, and one set with ClearScript's heap expansion made V8 fail
        /// an internal check ("next_global_allocation_limit >= next_old_generation_allocation_limit") after an
        /// idle collection. V8 runs without its compilers (jitless, its bytecode interpreter only): a session at
        /// 100,000 papers peaks 20-30 MB lower (no compiled code, and the compilers' part of V8's library is never
        /// paged in). A paper's first render is slower at the median (5.6-6.3 ms against 3.6-4.3 on a quiet
        /// machine) and faster in the tail (p99 10-11 ms against 21: the compilers' own work is gone), so the
        /// 20 ms target is met now and was not with them (docs/benchmarks.md).
        /// </summary>
        private readonly V8ScriptEngine _engine = Create();

        private static V8ScriptEngine Create()
        {
            // A process-wide setting, read when the first runtime is made; this is the only one the server makes.
            V8Settings.GlobalFlags |= V8GlobalFlags.DisableBackgroundWork | V8GlobalFlags.DisableJITCompilation;
            return new(new V8RuntimeConstraints { MaxNewSpaceSize = 4 }, V8ScriptEngineFlags.DisableGlobalMembers);
        }

        public override void Collect() => _engine.CollectGarbage(exhaustive: true);

        public override string? HeapSummary
        {
            get
            {
                var info = _engine.GetRuntimeHeapInfo();
                return $"{info.UsedHeapSize / 1048576.0:F0} / {info.TotalHeapSize / 1048576.0:F0} MB";
            }
        }

        public override ScriptRuntime Runtime => ScriptRuntime.V8;

        public override void Execute(string script, string name = "script.js")
        {
            try
            {
                _engine.Execute(name, script);
            }
            catch (ScriptEngineException e)
            {
                throw new ScriptFailure(e.Message, e);
            }
        }

        public override string? Call(string function, params string[] arguments)
        {
            try
            {
                return _engine.Invoke(function, arguments.Cast<object>().ToArray()) as string;
            }
            catch (ScriptEngineException e)
            {
                throw new ScriptFailure(e.Message, e);
            }
        }
    }
}
