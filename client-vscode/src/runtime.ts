// How to start the server: which bibserver, and which `dotnet` runs it. A platform's .vsix carries a server with the
// runtime inside (server/bibserver, or bibserver.exe), started as it is; the one for any other platform carries the
// framework-dependent bibserver.dll, which needs the .NET 10 runtime: finding one is then the one thing that can go
// wrong before it runs.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';

export const requiredRuntime = 10;
const installToolId = 'ms-dotnettools.vscode-dotnet-runtime';

export type ServerCommand = { command: string; args: string[] };

/** Why the server cannot start, in words for the user, and whether installing .NET would help. */
export class StartProblem extends Error {
    constructor(message: string, readonly needsRuntime: boolean) {
        super(message);
    }
}

export async function resolveServer(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<ServerCommand> {
    // BIBSERVER_PATH lets a developer run a server from their own build instead of the bundled one.
    const override = process.env.BIBSERVER_PATH;
    const bundled = context.asAbsolutePath(path.join('server', process.platform === 'win32' ? 'bibserver.exe' : 'bibserver'));
    if (!override && fs.existsSync(bundled)) {
        log.info(`Starting the bundled server ${bundled}`);
        return { command: bundled, args: ['lsp'] };
    }
    const server = override || context.asAbsolutePath(path.join('server', 'bibserver.dll'));
    if (!fs.existsSync(server)) {
        throw new StartProblem(override
            ? `BIBSERVER_PATH is ${override}, which does not exist.`
            : `The language server is missing from the extension (${server}); reinstall BibServer.`, false);
    }
    if (!server.endsWith('.dll')) {
        log.info(`Using the server from BIBSERVER_PATH: ${server}`);
        return { command: server, args: ['lsp'] };
    }
    const dotnet = await findDotnet(context, log);
    log.info(`Starting ${server} with ${dotnet}`);
    return { command: dotnet, args: [server, 'lsp'] };
}

/** The setting, else `dotnet` on PATH, else the .NET Install Tool if the user has it. */
async function findDotnet(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<string> {
    const setting = vscode.workspace.getConfiguration('bibserver').get<string>('dotnetPath')?.trim();
    if (setting) {
        if (!fs.existsSync(setting)) {
            throw new StartProblem(`The setting bibserver.dotnetPath is ${setting}, which does not exist.`, true);
        }
        const runtimes = await runtimeVersions(setting);
        if (!runtimes.some(v => v >= requiredRuntime)) {
            throw new StartProblem(`${setting} (bibserver.dotnetPath) has no .NET ${requiredRuntime} runtime${listed(runtimes)}.`, true);
        }
        return setting;
    }
    const onPath = findOnPath(process.platform === 'win32' ? 'dotnet.exe' : 'dotnet');
    const pathRuntimes = onPath ? await runtimeVersions(onPath) : [];
    if (onPath && pathRuntimes.some(v => v >= requiredRuntime)) {
        return onPath;
    }
    if (onPath) {
        log.warn(`${onPath} has no .NET ${requiredRuntime} runtime${listed(pathRuntimes)}.`);
    }
    const acquired = await acquireWithInstallTool(context, log);
    if (acquired) {
        return acquired;
    }
    throw new StartProblem(onPath
        ? `BibServer needs the .NET ${requiredRuntime} runtime, and the dotnet on PATH (${onPath}) has none${listed(pathRuntimes)}.`
        : `BibServer needs the .NET ${requiredRuntime} runtime, and found no dotnet on PATH.`, true);
}

function findOnPath(executable: string): string | undefined {
    const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(d => d.length > 0);
    if (process.env.DOTNET_ROOT) {
        dirs.push(process.env.DOTNET_ROOT);
    }
    return dirs.map(d => path.join(d, executable)).find(p => fs.existsSync(p) && fs.statSync(p).isFile());
}

/** The major versions of Microsoft.NETCore.App that a dotnet can run; empty if it cannot even say. */
async function runtimeVersions(dotnet: string): Promise<number[]> {
    try {
        const { stdout } = await promisify(execFile)(dotnet, ['--list-runtimes'], { timeout: 15_000 });
        return [...stdout.matchAll(/^Microsoft\.NETCore\.App (\d+)\./gm)].map(m => Number(m[1]));
    } catch {
        return [];
    }
}

function listed(versions: number[]): string {
    return versions.length > 0 ? ` (only ${[...new Set(versions)].map(v => `${v}.x`).join(', ')})` : '';
}

async function acquireWithInstallTool(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<string | undefined> {
    const tool = vscode.extensions.getExtension(installToolId);
    if (!tool) {
        return undefined;
    }
    try {
        await tool.activate();
        log.info(`Asking the .NET Install Tool for a .NET ${requiredRuntime} runtime.`);
        const result = await vscode.commands.executeCommand<{ dotnetPath?: string } | undefined>('dotnet.acquire', {
            version: `${requiredRuntime}.0`,
            requestingExtensionId: context.extension.id,
            mode: 'runtime',
        });
        return result?.dotnetPath;
    } catch (error) {
        log.warn(`The .NET Install Tool could not provide a runtime: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
    }
}
