// Runs a real VS Code (code-server, on loopback) with the packaged extension, drives it from headless Chromium,
// and reads what a person would see from the page. scripts/vscode-e2e-setup installs what this needs and writes
// the paths into $BIBSERVER_E2E_CACHE/e2e-env.json.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..');
export const artifacts = path.join(repo, 'tests', 'artifacts', 'vscode-e2e');

/** What the suite checks against: tests/vscode-e2e/spec.json, or the file named by $BIBSERVER_E2E_SPEC. */
export function readSpec() {
    const file = process.env.BIBSERVER_E2E_SPEC ?? path.join(here, 'spec.json');
    const spec = JSON.parse(fs.readFileSync(file, 'utf8'));
    const workspace = path.resolve(repo, process.env.BIBSERVER_E2E_WORKSPACE ?? spec.workspace ?? 'examples');
    return { ...spec, workspace };
}

export function readEnv() {
    const cache = process.env.BIBSERVER_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'bibserver-e2e');
    const file = path.join(cache, 'e2e-env.json');
    if (!fs.existsSync(file)) {
        throw new Error(`${file} is missing: run scripts/vscode-e2e-setup first.`);
    }
    return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function findVsix() {
    const client = path.join(repo, 'client-vscode');
    const { version } = JSON.parse(fs.readFileSync(path.join(client, 'package.json'), 'utf8'));
    const vsix = path.join(client, `bibserver-${version}.vsix`);
    if (!fs.existsSync(vsix)) {
        throw new Error(`${vsix} is missing: run \`npm run package\` first (\`npm run test:e2e\` does).`);
    }
    return vsix;
}

async function freePort() {
    const server = net.createServer();
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise(resolve => server.close(resolve));
    return port;
}

/**
 * Starts code-server with a fresh profile and the vsix installed, on a free loopback port. `settings` are the user
 * settings; the log goes to `logFile`.
 */
export async function startCodeServer({ env, vsix, settings, logFile }) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bibserver-e2e-'));
    const userData = path.join(root, 'user-data');
    const extensions = path.join(root, 'extensions');
    // code-server is VS Code's remote setup: settings of machine scope (bibserver.dotnetPath) are read from the
    // remote machine's settings, the others from the user's; both get the same. VS Code sees later writes too.
    const writeSettings = values => {
        for (const scope of ['User', 'Machine']) {
            fs.mkdirSync(path.join(userData, scope), { recursive: true });
            fs.writeFileSync(path.join(userData, scope, 'settings.json'), JSON.stringify(values, null, 2));
        }
    };
    writeSettings(settings);
    const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
    execFileSync(env.node, [env.codeServer, ...common, '--install-extension', vsix], { stdio: 'pipe', timeout: 120_000 });

    const port = await freePort();
    const log = fs.openSync(logFile, 'w');
    const child = spawn(env.node, [
        env.codeServer, ...common,
        '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
        '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    ], {
        // An empty gallery keeps code-server from looking for extensions on the network.
        env: { ...process.env, EXTENSIONS_GALLERY: '{"serviceUrl":""}' },
        stdio: ['ignore', log, log],
        detached: true,
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
        if (child.exitCode !== null) {
            throw new Error(`code-server exited with code ${child.exitCode}; see ${logFile}`);
        }
        try {
            if ((await fetch(`${url}/healthz`)).ok) break;
        } catch {
            // Not listening yet.
        }
        if (Date.now() > deadline) {
            throw new Error(`code-server did not answer on ${url} within 60 s; see ${logFile}`);
        }
        await sleep(250);
    }
    const stop = () => {
        try {
            process.kill(-child.pid, 'SIGTERM');
        } catch {
            // Already gone.
        }
        fs.closeSync(log);
        // VS Code's own logs (the extension host's, and each output channel's) are kept beside the screenshots.
        fs.cpSync(path.join(userData, 'logs'), path.join(path.dirname(logFile), 'logs'), { recursive: true });
        fs.rmSync(root, { recursive: true, force: true });
    };
    return { url, userData, writeSettings, stop };
}

/** Headless Debian Chromium with a fresh profile; every request off the loopback is refused. */
export async function startBrowser(env) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bibserver-e2e-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: env.chromium,
        headless: true,
        viewport: { width: 1400, height: 900 },
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync'],
    });
    await context.route('**/*', route => {
        const host = new URL(route.request().url()).hostname;
        return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
    });
    const page = context.pages()[0] ?? await context.newPage();
    const close = async () => {
        await context.close().catch(() => undefined);
        fs.rmSync(profile, { recursive: true, force: true });
    };
    return { page, close };
}

/** Polls `probe` until it returns a truthy value, or fails with `what` after `timeout` ms. */
export async function waitUntil(what, probe, timeout = 30_000, interval = 250) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
        try {
            last = await probe();
            if (last) return last;
        } catch (error) {
            last = error;
        }
        if (Date.now() > deadline) {
            throw new Error(`Timed out after ${timeout / 1000} s waiting for ${what}` + (last instanceof Error ? `: ${last.message}` : ''));
        }
        await sleep(interval);
    }
}

/** VS Code as a person uses it: the keyboard, the command palette, and what is on the screen. */
export class Workbench {
    constructor(page) {
        this.page = page;
        this.shot = 0;
    }

    async screenshot(name) {
        fs.mkdirSync(artifacts, { recursive: true });
        const file = path.join(artifacts, `${String(++this.shot).padStart(2, '0')}-${name}.png`);
        await this.page.screenshot({ path: file });
        return file;
    }

    async open(url, folder) {
        await this.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
        await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        await this.page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
    }

    /** Runs a command from the palette (F1) by its label, e.g. 'BibServer: Show Output'. */
    async command(label) {
        await this.dismissQuickInput();
        await this.page.keyboard.press('F1');
        const input = this.page.locator('.quick-input-widget input');
        await input.waitFor({ timeout: 10_000 });
        await input.fill(`>${label}`);
        const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
        await row.waitFor({ timeout: 10_000 });
        await row.click();
    }

    async dismissQuickInput() {
        if (await this.page.locator('.quick-input-widget:visible').count()) {
            await this.page.keyboard.press('Escape');
        }
    }

    /** Opens a file by its path in the workspace, with quick open (Ctrl+P). */
    async openFile(relativePath) {
        const name = path.basename(relativePath);
        const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
        // Quick open answers from VS Code's file search, which may not list a file written a moment ago
        // ("No matching results" while the explorer already shows it): ask it again until it does.
        await waitUntil(`quick open to list ${name}`, async () => {
            await this.dismissQuickInput();
            await this.page.keyboard.press('Control+P');
            const input = this.page.locator('.quick-input-widget input');
            await input.waitFor({ timeout: 10_000 });
            await input.fill(relativePath);
            return row.waitFor({ timeout: 3_000 }).then(() => true, () => false);
        }, 30_000);
        await this.page.keyboard.press('Enter');
        await this.page.locator(`.tab.active[aria-label*="${name}"]`).waitFor({ timeout: 15_000 });
        await this.focusEditor();
    }

    /** Gives the keyboard to the active editor. A command, because the editor's input element varies by version. */
    async focusEditor() {
        await this.command('View: Focus Active Editor Group');
        await waitUntil('the editor to have the keyboard', () => this.page.evaluate(() =>
            !!document.activeElement?.closest('.editor-group-container.active .monaco-editor')), 10_000);
    }

    /** Puts the cursor at a 1-based line and column (Ctrl+G). */
    async goto(line, column) {
        await this.dismissQuickInput();
        await this.focusEditor();
        await this.page.keyboard.press('Control+G');
        const input = this.page.locator('.quick-input-widget input');
        await input.waitFor({ timeout: 10_000 });
        await input.fill(`:${line}:${column}`);
        await this.page.keyboard.press('Enter');
        await this.page.locator('.quick-input-widget:visible').waitFor({ state: 'hidden', timeout: 10_000 });
    }

    /** Saves the active editor; the caller waits for what it expects on disk, since the write is asynchronous. */
    async save() {
        await this.command('File: Save');
    }

    /** The text of the visible notification toasts and of the notification centre. */
    async notifications() {
        return this.page.locator('.notification-toast, .notifications-center .notification-list-item').allInnerTexts();
    }

    async statusItem() {
        const item = this.page.locator('.statusbar-item[id$="bibserver.status"]');
        return (await item.count()) ? { text: await item.innerText(), label: await item.getAttribute('aria-label') } : undefined;
    }

    /** The BibServer output, whole: the view shows only what fits, so this reads the log file behind it. */
    outputLog(userData) {
        const find = dir => fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
            entry.isDirectory() ? find(path.join(dir, entry.name)) : entry.name === 'BibServer.log' ? [path.join(dir, entry.name)] : []);
        return find(path.join(userData, 'logs')).map(file => fs.readFileSync(file, 'utf8')).join('\n');
    }

    async problemsText() {
        return (await this.page.locator('.markers-panel').allInnerTexts()).join('\n');
    }
}

/** Matches a citation of exactly `key`: `@key` not followed by more of a key (so `@smith20` misses `@smith2020`). */
export function citation(key, prefix = '@') {
    return new RegExp(`${prefix}${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_])`, 'gu');
}

/** Whether `text` (e.g. the Problems panel) names exactly `key`, with or without its `@`. */
export function mentions(text, key) {
    return citation(key, '(?<![\\p{L}\\p{N}_])').test(text);
}

/** The 1-based line and column of the first letter of the key in the first citation of `key` in `file`, for Ctrl+G. */
export function positionOfCitation(file, key) {
    const text = fs.readFileSync(file, 'utf8');
    const match = citation(key).exec(text);
    if (!match) {
        throw new Error(`@${key} is not cited in ${file}`);
    }
    const before = text.slice(0, match.index + 1).split('\n');
    return { line: before.length, column: before.at(-1).length + 1 };
}

export function countCitations(text, key) {
    return [...text.matchAll(citation(key))].length;
}
