// Links into another application (Zotero's zotero://select/...) in the server's hovers. VS Code renders a hover's
// link only for the schemes it knows (http, https, file, mailto, ...) and shows any other as plain text, so such a
// link is turned into a command link that opens it with the system's handler, the one command the hover trusts.
import * as vscode from 'vscode';

export const OPEN_APP_LINK = 'bibserver.openAppLink';

/** The schemes turned into command links: applications BibServer links to. */
const APP_SCHEMES = ['zotero'];

const APP_LINK = new RegExp(`\\]\\(((?:${APP_SCHEMES.join('|')})://[^)\\s]+)\\)`, 'g');

/** A hover's contents with its application links made command links that VS Code renders. */
export function withAppLinks(hover: vscode.Hover): vscode.Hover {
    hover.contents = hover.contents.map(content => {
        if (!(content instanceof vscode.MarkdownString) || !APP_LINK.test(content.value)) return content;
        APP_LINK.lastIndex = 0;
        const value = content.value.replace(APP_LINK, (_all, uri: string) =>
            `](command:${OPEN_APP_LINK}?${encodeURIComponent(JSON.stringify([uri]))} "${uri}")`);
        const rewritten = new vscode.MarkdownString(value, content.supportThemeIcons);
        rewritten.supportHtml = content.supportHtml;
        rewritten.baseUri = content.baseUri;
        rewritten.isTrusted = { enabledCommands: [OPEN_APP_LINK] };
        return rewritten;
    });
    return hover;
}

/** Opens an application link with the system's handler; any other URI is refused (the command is trusted in hovers). */
export async function openAppLink(uri: unknown): Promise<void> {
    if (typeof uri !== 'string' || !APP_SCHEMES.some(s => uri.startsWith(`${s}://`))) return;
    const opened = await vscode.env.openExternal(vscode.Uri.parse(uri, true));
    if (!opened) void vscode.window.showWarningMessage(`BibServer: nothing on this machine opens ${uri} (is Zotero installed?).`);
}
