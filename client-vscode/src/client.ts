// The language client: what VS Code sends the server, and how a failing server is handled (never a restart loop).
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, LanguageClientOptions, RevealOutputChannelOn, State } from 'vscode-languageclient/node';
import { withAppLinks } from './applinks';
import { ServerCommand } from './runtime';

export class BibServerClient extends LanguageClient {
    /** The server's last lines of standard error, quoted when it stops: usually the reason. */
    stderrTail: string[] = [];
    private running = false;
    private readonly crashes: number[] = [];

    /** `onGaveUp` is called once if a server that was running keeps dying; a failed start rejects start() instead. */
    constructor(server: ServerCommand, log: vscode.LogOutputChannel, onGaveUp: (message: string) => void) {
        super('bibserver', 'BibServer', server, {
            ...options(log),
            stdioOptions: {
                stdout: (input, channel) => lines(input, line => channel.info(line)),
                stderr: (input, channel) => lines(input, line => {
                    channel.error(line);
                    this.stderrTail = [...this.stderrTail, line].slice(-3);
                }),
            },
            errorHandler: {
                error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
                closed: () => {
                    const now = Date.now();
                    this.crashes.push(now);
                    if (this.running && this.crashes.filter(t => now - t < 180_000).length <= 3) {
                        log.warn('The language server stopped; restarting it.');
                        return { action: CloseAction.Restart, handled: true };
                    }
                    if (this.running) {
                        onGaveUp(`BibServer's language server stopped ${this.crashes.length} times and will not be restarted.`);
                    }
                    return { action: CloseAction.DoNotRestart, handled: true };
                },
            },
        });
        this.onDidChangeState(e => this.running ||= e.newState === State.Running);
    }

    /** The library announces failures with notifications of its own; BibServer announces each failure once, itself. */
    override error(message: string, data?: unknown): void {
        super.error(message, data, false);
    }
}

function options(log: vscode.LogOutputChannel): LanguageClientOptions {
    return {
        documentSelector: [
            { scheme: 'file', language: 'markdown' },
            { scheme: 'untitled', language: 'markdown' },
            { scheme: 'file', language: 'quarto' },
            { scheme: 'untitled', language: 'quarto' },
            { scheme: 'file', language: 'bibtex' },
            // Libraries: BibTeX, CSL-JSON, CSL-YAML and scraped paper lists. The server tells them from other files.
            { scheme: 'file', pattern: '**/*.{bib,qmd,json,yaml,yml,txt}' },
        ],
        outputChannel: log,
        // Failures are announced once by the extension, not by the library on every failed request.
        revealOutputChannelOn: RevealOutputChannelOn.Never,
        initializationOptions: () => settings(),
        initializationFailedHandler: () => false,
        middleware: {
            provideHover: async (document, position, token, next) => {
                const hover = await next(document, position, token);
                return hover ? withAppLinks(hover) : hover;
            },
            provideCodeLenses: async (document, token, next) => (await next(document, token))?.map(showReferencesArguments),
            resolveCodeLens: async (lens, token, next) => showReferencesArguments((await next(lens, token)) ?? lens),
        },
        // Which files to watch is the server's to say: it registers workspace/didChangeWatchedFiles with the globs
        // of every library format it reads, and the language client watches exactly those (no list of ours).
        synchronize: {
            configurationSection: 'bibserver',
        },
    };
}

/** The `bibserver` settings as plain JSON: the same shape the server gets in workspace/didChangeConfiguration. */
function settings(): unknown {
    return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('bibserver')));
}

/**
 * A code lens "cited 3 times in 2 notes" runs VS Code's `editor.action.showReferences`, which checks that its
 * arguments are a Uri, a Position and Locations; the language client passes the server's arguments on as
 * plain JSON, so they are converted here (the only translation the client does).
 */
function showReferencesArguments(lens: vscode.CodeLens): vscode.CodeLens {
    const command = lens.command;
    if (command?.command !== 'editor.action.showReferences' || !Array.isArray(command.arguments)) return lens;
    const [uri, position, locations] = command.arguments as [string, { line: number; character: number }, { uri: string; range: JsonRange }[]];
    if (typeof uri !== 'string' || !position || !Array.isArray(locations)) return lens;
    command.arguments = [
        vscode.Uri.parse(uri),
        new vscode.Position(position.line, position.character),
        locations.map(l => new vscode.Location(vscode.Uri.parse(l.uri), range(l.range))),
    ];
    return lens;
}

type JsonRange = { start: { line: number; character: number }; end: { line: number; character: number } };

function range(r: JsonRange): vscode.Range {
    return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function lines(input: NodeJS.ReadableStream, onLine: (line: string) => void): void {
    readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', onLine);
}
