// BibServer in a real VS Code, checked by what a person sees. One code-server and one browser serve every test, in
// order; each test saves a screenshot into tests/artifacts/vscode-e2e/. Run with `npm run test:e2e`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
    artifacts, countCitations, findVsix, mentions, positionOfCitation, readEnv, readSpec, startBrowser, startCodeServer, waitUntil, Workbench,
} from './harness.mjs';

const spec = readSpec();
const suiteTimeout = Number(process.env.BIBSERVER_E2E_TIMEOUT ?? 600) * 1000;
const scratchNote = 'bibserver-e2e-scratch.md';
// The library the scratch note names, missing until the last step writes it on disk.
const scratchLibrary = 'bibserver-e2e-scratch.bib';

// The suite stops by itself, whatever hangs: code-server and the browser are ended with it.
let cleanup = async () => undefined;
const watchdog = setTimeout(async () => {
    console.error(`vscode-e2e: the suite ran over ${suiteTimeout / 1000} s; stopping.`);
    await cleanup();
    process.exit(1);
}, suiteTimeout);
watchdog.unref();

describe('BibServer in VS Code (code-server)', { timeout: suiteTimeout }, () => {
    let workspace;
    let vscode;
    let server;
    let browser;
    let settings;
    const note = () => path.join(workspace, spec.note);

    before(async () => {
        fs.rmSync(artifacts, { recursive: true, force: true });
        fs.mkdirSync(artifacts, { recursive: true });
        assert.ok(fs.existsSync(spec.workspace), `The workspace ${spec.workspace} does not exist (set BIBSERVER_E2E_WORKSPACE or spec.json's "workspace").`);
        // The tests edit notes, so they work on a copy: the repository's examples stay as they are.
        workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bibserver-e2e-workspace-')), path.basename(spec.workspace));
        fs.cpSync(spec.workspace, workspace, { recursive: true });
        fs.writeFileSync(path.join(workspace, scratchNote), [
            '---',
            `bibliography: ${scratchLibrary}`,
            '---',
            '',
            '# Scratch note of the end-to-end test',
            '',
            'Pandoc reads [@scratch2024citation] as a citation; Markdown sees a shortcut reference link there.',
            '',
            'A [link to a missing file](./no-such-file.md) must still be reported by VS Code.',
            '',
            // What this note says of a paper the spec's note cites: its hover there shows this sentence.
            `A note elsewhere. ${spec.annotation.sentence} Nothing more.`,
            '',
        ].join('\n'));

        const env = readEnv();
        server = await startCodeServer({
            env,
            vsix: findVsix(),
            logFile: path.join(artifacts, 'code-server.log'),
            settings: settings = {
                // Without these the extension does not run (restricted mode) and keystrokes go to the chat panel.
                'security.workspace.trust.enabled': false,
                'chat.disableAIFeatures': true,
                'workbench.startupEditor': 'none',
                'workbench.tips.enabled': false,
                'telemetry.telemetryLevel': 'off',
                'extensions.autoCheckUpdates': false,
                'extensions.autoUpdate': false,
                'update.mode': 'none',
                'git.enabled': false,
                'files.autoSave': 'off',
                // On, to see that BibServer's defaults keep VS Code's own Markdown checks from flagging citations.
                'markdown.validate.enabled': true,
                // More user settings for a run, e.g. '{"bibserver.logLevel": "debug"}'.
                ...JSON.parse(process.env.BIBSERVER_E2E_SETTINGS ?? '{}'),
            },
        });
        browser = await startBrowser(env);
        vscode = new Workbench(browser.page);
        cleanup = async () => {
            await browser?.close();
            server?.stop();
        };
    });

    after(async () => {
        await cleanup();
        clearTimeout(watchdog);
        // The copy of the workspace goes too; the screenshots and logs under tests/artifacts tell what happened.
        if (workspace) fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
    });

    /** Fails at once, with what the server said, if it is not running: the feature steps would only time out. */
    const requireServer = async () => {
        const label = (await vscode.statusItem())?.label ?? '';
        if (/see (the|its) output/.test(label)) {
            const said = vscode.outputLog(server.userData).split('\n').filter(line => /\[error\]/.test(line)).slice(-3).join('\n');
            assert.fail(`The language server is not running. Status bar: "${label}". Its output ends:\n${said}`);
        }
    };

    /** Runs one step and saves a screenshot of how it ended, passed or failed. */
    const step = (name, timeout, fn) => it(name, { timeout }, async () => {
        try {
            await fn();
        } finally {
            await vscode?.screenshot(name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()).catch(() => undefined);
        }
    });

    step('code-server opens the workspace', 120_000, async () => {
        await vscode.open(server.url, workspace);
        await waitUntil('the explorer to list the workspace\'s files', async () =>
            (await browser.page.locator('.explorer-folders-view').innerText()).includes(scratchNote), 30_000);
    });

    step('the extension activates on a note and starts the server', 90_000, async () => {
        await vscode.openFile(scratchNote);
        const status = await waitUntil('the BibServer status-bar item', () => vscode.statusItem(), 30_000);
        assert.match(status.label, /BibServer/);
        await vscode.command('BibServer: Show Output');
        await browser.page.locator('.output-view, .panel .output').first().waitFor({ timeout: 10_000 });
        await waitUntil('the server start in the BibServer output', async () =>
            /Starting .*bibserver\.dll|Using the server from BIBSERVER_PATH/.test(vscode.outputLog(server.userData)), 30_000);
    });

    step('the server runs, or fails with one notification and no restart loop', 120_000, async () => {
        await waitUntil('the status bar to leave "starting"', async () =>
            !/starting the language server/.test((await vscode.statusItem())?.label ?? 'starting the language server'), 60_000);
        // A restart loop would go on announcing and restarting in this time.
        await sleep(15_000);
        await vscode.command('Notifications: Show Notifications');
        await sleep(1000);
        const about = (await vscode.notifications()).filter(text => /BibServer/i.test(text));
        assert.ok(about.length <= 1, `Expected at most one BibServer notification, got ${about.length}:\n${about.join('\n---\n')}`);
        const starts = (vscode.outputLog(server.userData).match(/Starting .*bibserver\.dll/g) ?? []).length;
        assert.ok(starts <= 1, `The server was started ${starts} times.`);
        const status = await vscode.statusItem();
        assert.ok(about.length === 0 || /BibServer/.test(status?.label ?? ''), 'A failure also shows in the status bar.');
        await vscode.command('Notifications: Clear All Notifications');
    });

    step('a missing .NET runtime is one notification that says what to do', 90_000, async () => {
        const starts = () => (vscode.outputLog(server.userData).match(/Starting .*bibserver\.dll|Using the server from BIBSERVER_PATH/g) ?? []).length;
        const before = starts();
        server.writeSettings({ ...settings, 'bibserver.dotnetPath': '/nonexistent/dotnet' });
        if (process.env.BIBSERVER_PATH && !process.env.BIBSERVER_PATH.endsWith('.dll')) {
            // FIXME: an executable in BIBSERVER_PATH needs no dotnet, so there is no missing runtime to report.
            await sleep(5000);
            assert.ok(!(await vscode.notifications()).some(text => /dotnetPath/.test(text)));
        } else {
            const message = await waitUntil('a notification about bibserver.dotnetPath', async () =>
                (await vscode.notifications()).find(text => /bibserver\.dotnetPath is \/nonexistent\/dotnet/.test(text)), 30_000);
            assert.match(message, /Install \.NET 10/);
            await sleep(5000);
            await vscode.command('Notifications: Show Notifications');
            await sleep(1000);
            const about = (await vscode.notifications()).filter(text => /BibServer|bibserver\./.test(text));
            assert.equal(about.length, 1, `Expected one notification, got:\n${about.join('\n---\n')}`);
            assert.equal(starts(), before, 'The server was started without a runtime.');
        }
        await vscode.screenshot('missing-runtime');
        // Back to the dotnet on PATH: changing bibserver.dotnetPath restarts the server.
        server.writeSettings(settings);
        await waitUntil('the server to start again', async () => starts() > before, 30_000);
        await vscode.command('Notifications: Clear All Notifications');
    });

    step('VS Code\'s Markdown validation leaves citations alone but still checks links', 90_000, async () => {
        await vscode.openFile(scratchNote);
        await vscode.command('Problems: Focus on Problems View');
        const problems = await waitUntil('VS Code\'s report of the missing file link', async () => {
            const text = await vscode.problemsText();
            return /no-such-file/.test(text) && text;
        }, 60_000);
        assert.doesNotMatch(problems, /No link definition found/);
    });

    step('hovering a citation shows the paper\'s title and abstract', 90_000, async () => {
        await requireServer();
        await vscode.openFile(spec.note);
        const { line, column } = positionOfCitation(note(), spec.hover.key);
        await vscode.goto(line, column);
        await vscode.command('Show or Focus Hover');
        const hover = await waitUntil('a hover with the paper\'s title', async () => {
            const text = (await browser.page.locator('.monaco-hover:visible').allInnerTexts()).join('\n');
            return text.includes(spec.hover.title) && text;
        }, 45_000);
        assert.ok(hover.includes(spec.hover.abstract), `The hover has no abstract:\n${hover}`);
    });

    step('the hover leads with the reference as the default style (Chicago author-date) prints it', 90_000, async () => {
        await requireServer();
        await vscode.openFile(spec.note);
        const { line, column } = positionOfCitation(note(), spec.hover.key);
        await vscode.goto(line, column);
        await vscode.command('Show or Focus Hover');
        // The engine loads after the note's first diagnostics: the first styled hover may wait for it.
        const hover = await waitUntil('a hover with the rendered reference', async () => {
            const text = (await browser.page.locator('.monaco-hover:visible').allInnerTexts()).join('\n');
            if (text.includes(spec.styles.reference)) return text;
            await browser.page.keyboard.press('Escape');
            await vscode.command('Show or Focus Hover');
            return undefined;
        }, 60_000);
        assert.ok(hover.indexOf(spec.styles.reference) < hover.indexOf(spec.hover.abstract), `The reference does not come first:\n${hover}`);
        await browser.page.keyboard.press('Escape');
    });

    step('with inlay hints turned on, the in-text form appears after a key', 90_000, async () => {
        await requireServer();
        server.writeSettings({ ...settings, 'bibserver.inlayHints.enabled': true });
        try {
            await vscode.openFile(spec.note);
            const { line, column } = positionOfCitation(note(), spec.hover.key);
            await vscode.goto(line, column);
            // VS Code draws an inlay hint's label with CSS (content of a pseudo-element), not as text of the line.
            const editorText = () => browser.page.evaluate(() => {
                const parts = [];
                for (const el of document.querySelectorAll('.editor-group-container.active .view-lines span')) {
                    for (const pseudo of ['::before', '::after']) {
                        const content = getComputedStyle(el, pseudo).content;
                        if (content && content !== 'none' && content !== 'normal') parts.push(content.replace(/^"|"$/g, ''));
                    }
                    if (el.childElementCount === 0) parts.push(el.textContent ?? '');
                }
                return parts.join('').replace(/\u00a0/g, ' ');
            });
            await waitUntil(`"${spec.styles.inlayHint}" in the editor`, async () => (await editorText()).includes(spec.styles.inlayHint), 60_000);
        } finally {
            server.writeSettings(settings);
        }
    });

    step('hovering a paper cited in another note shows that note\'s sentence', 90_000, async () => {
        await requireServer();
        await vscode.openFile(spec.note);
        const { line, column } = positionOfCitation(note(), spec.hover.key);
        // The notes on disk are read after the libraries: the hover is asked again until it has them.
        const hover = await waitUntil('a hover with the scratch note\'s sentence', async () => {
            await browser.page.keyboard.press('Escape');
            await vscode.goto(line, column);
            await vscode.command('Show or Focus Hover');
            await sleep(1000);
            const text = (await browser.page.locator('.monaco-hover:visible').allInnerTexts()).join('\n');
            return text.includes(spec.annotation.sentence) && text;
        }, 60_000);
        assert.match(hover, /You wrote about it in 2 notes/);
        assert.ok(hover.includes(scratchNote), `The passage does not say where it is from:\n${hover}`);
        await vscode.screenshot('hover-annotation');
        await browser.page.keyboard.press('Escape');
    });

    step('clicking the status bar lists the libraries with their papers', 60_000, async () => {
        await requireServer();
        const item = browser.page.locator('.statusbar-item[id$="bibserver.status"]');
        await waitUntil('the status bar to count papers', async () => /\d+ papers?/.test(await item.innerText()), 30_000);
        await item.click();
        const title = await waitUntil('the library statistics', async () => {
            const text = (await browser.page.locator('.quick-input-widget:visible').allInnerTexts()).join('\n');
            return /BibServer: \d+ papers? in \d+ librar/.test(text) && text;
        }, 30_000);
        assert.match(title, /papers?/);
        await vscode.screenshot('library-statistics');
        await browser.page.keyboard.press('Escape');
    });

    step('typing [@ and an author\'s name offers the paper and inserts its key', 90_000, async () => {
        await requireServer();
        await vscode.openFile(spec.note);
        await browser.page.keyboard.press('Control+End');
        await browser.page.keyboard.press('Enter');
        await browser.page.keyboard.press('Enter');
        await browser.page.keyboard.type(`As shown by [@${spec.completion.author}`, { delay: 50 });
        // The server's trigger character (@) should open the list; if it does not, ask for it as Ctrl+Space would.
        const opened = await browser.page.locator('.suggest-widget.visible').waitFor({ timeout: 5000 }).then(() => true, () => false);
        if (!opened) {
            await vscode.command('Trigger Suggest');
        }
        const row = browser.page.locator('.suggest-widget.visible .monaco-list-row', { hasText: spec.completion.key });
        await row.first().waitFor({ timeout: 45_000 });
        await vscode.screenshot('completion-offered');
        await row.first().click();
        await vscode.save();
        const inserted = `As shown by [@${spec.completion.key}`;
        await waitUntil(`"${inserted}" in the saved note`, () => fs.readFileSync(note(), 'utf8').includes(inserted), 10_000)
            .catch(error => assert.fail(`${error.message}; the note ends with:\n${fs.readFileSync(note(), 'utf8').slice(-200)}`));
    });

    step('a broken key is underlined and listed in the Problems panel', 90_000, async () => {
        await requireServer();
        await vscode.openFile(spec.note);
        const { line, column } = positionOfCitation(note(), spec.broken.key);
        await vscode.goto(line, column);
        await waitUntil('an error squiggle in the editor', async () =>
            (await browser.page.locator('.editor-group-container.active .squiggly-error').count()) > 0, 45_000);
        await vscode.command('Problems: Focus on Problems View');
        await waitUntil(`the Problems panel to list ${spec.broken.key}`, async () => mentions(await vscode.problemsText(), spec.broken.key), 30_000);
        // A note that is not open: its broken citation comes from the workspace pull.
        await waitUntil(`the Problems panel to list ${spec.closedNoteBroken.key} of ${spec.closedNoteBroken.note}, which is not open`,
            async () => mentions(await vscode.problemsText(), spec.closedNoteBroken.key), 30_000);
    });

    step('the quick fix replaces the broken key', 90_000, async () => {
        await requireServer();
        await vscode.openFile(spec.note);
        const { line, column } = positionOfCitation(note(), spec.broken.key);
        await vscode.goto(line, column);
        const fix = browser.page.locator('.action-widget .monaco-list-row', { hasText: new RegExp(`Replace with\\W*${spec.broken.fix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`) });
        const none = browser.page.locator('.monaco-editor-overlaymessage', { hasText: 'No code actions available' });
        // VS Code says "No code actions available" once every provider has answered with none. The server may
        // still be catching up with the note, so ask again a few times before calling it a missing quick fix.
        for (let attempt = 1; ; attempt++) {
            await vscode.command('Quick Fix...');
            const shown = await waitUntil('the quick-fix menu', async () =>
                (await fix.count()) ? 'fix' : (await none.count()) ? 'none' : (await browser.page.locator('.action-widget:visible').count()) ? 'menu' : undefined, 45_000);
            if (shown === 'fix') break;
            if (shown === 'menu') {
                await fix.first().waitFor({ timeout: 15_000 }).catch(async () => assert.fail(
                    `The quick-fix menu has no "Replace with ${spec.broken.fix}":\n${(await browser.page.locator('.action-widget').allInnerTexts()).join('\n')}`));
                break;
            }
            if (attempt === 3) {
                assert.fail(`VS Code found no code actions at @${spec.broken.key} (asked ${attempt} times): the server offers no quick fix for it. `
                    + 'Does it implement textDocument/codeAction (a quickfix titled "Replace with `' + spec.broken.fix + '`" with a WorkspaceEdit)?');
            }
            await browser.page.keyboard.press('Escape');
            await none.first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
            await sleep(2000);
        }
        await vscode.screenshot('quick-fix-offered');
        const before = fs.readFileSync(note(), 'utf8');
        await fix.first().click();
        await vscode.save();
        const text = await waitUntil('the saved note to change', () => {
            const now = fs.readFileSync(note(), 'utf8');
            return now !== before && now;
        }, 10_000);
        assert.equal(countCitations(text, spec.broken.key), countCitations(before, spec.broken.key) - 1, `@${spec.broken.key} was not replaced.`);
        assert.equal(countCitations(text, spec.broken.fix), countCitations(before, spec.broken.fix) + 1, `@${spec.broken.fix} was not put in.`);
        if (countCitations(text, spec.broken.key) === 0) {
            await vscode.command('Problems: Focus on Problems View');
            await waitUntil(`the Problems panel to drop ${spec.broken.key}`, async () => !mentions(await vscode.problemsText(), spec.broken.key), 30_000);
        }
    });

    step('a library written on disk is read: VS Code watches the files the server asked it to', 90_000, async () => {
        // The client has no list of files to watch: the server registers its globs (workspace/didChangeWatchedFiles)
        // and watches nothing itself when the client can. A library that appears on disk is known only that way.
        // The scratch note is open in a tab since the Markdown step: the Problems panel lists its problems.
        await requireServer();
        await vscode.command('Problems: Focus on Problems View');
        await waitUntil('the Problems panel to list @scratch2024citation as unknown', async () =>
            mentions(await vscode.problemsText(), 'scratch2024citation'), 45_000);
        fs.writeFileSync(path.join(workspace, scratchLibrary), '@misc{scratch2024citation,\n  title = {Written While VS Code Ran},\n  year = {2024}\n}\n');
        await waitUntil('the Problems panel to drop @scratch2024citation', async () =>
            !mentions(await vscode.problemsText(), 'scratch2024citation'), 45_000);
        await vscode.screenshot('library-written-on-disk');
    });

    step('a Zotero database set in bibserver.zotero: hovering one of its papers shows it', 90_000, async () => {
        await requireServer();
        // A copy of the real Zotero database, as a data directory outside the workspace; a note that cites one of its papers.
        const data = fs.mkdtempSync(path.join(os.tmpdir(), 'bibserver-e2e-zotero-'));
        fs.copyFileSync(spec.zotero.database, path.join(data, 'zotero.sqlite'));
        const zoteroNote = 'bibserver-e2e-zotero.md';
        fs.writeFileSync(path.join(workspace, zoteroNote), `# Zotero\n\nControl design [@${spec.zotero.key}].\n`);
        server.writeSettings({ ...settings, 'bibserver.zotero': data });
        try {
            await vscode.openFile(zoteroNote);
            const { line, column } = positionOfCitation(path.join(workspace, zoteroNote), spec.zotero.key);
            const hover = await waitUntil('a hover with the Zotero paper\'s title', async () => {
                await vscode.goto(line, column);
                await vscode.command('Show or Focus Hover');
                const text = (await browser.page.locator('.monaco-hover:visible').allInnerTexts()).join('\n');
                return text.includes(spec.zotero.title) && text;
            }, 60_000);
            assert.match(hover, /Show in Zotero/);
            assert.match(hover, /Zotero \(zotero\.sqlite\)/);
            // A link VS Code renders (it shows links of schemes it does not know, zotero:, as plain text): the client
            // makes it a command link opening the zotero:// URI, whose title the rendered anchor carries.
            const link = browser.page.locator('.monaco-hover:visible a', { hasText: 'Show in Zotero' });
            assert.equal(await link.count(), 1, 'the hover\'s "Show in Zotero" is a link');
            assert.match(await link.getAttribute('title') ?? '', /^zotero:\/\/select\/library\/items\/[A-Z0-9]{8}$/);
        } finally {
            server.writeSettings(settings);
            fs.rmSync(data, { recursive: true, force: true });
        }
    });
});
