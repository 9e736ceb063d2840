// `npm run package`: the server published framework-dependent into client-vscode/server, the client bundled, and
// both packed into client-vscode/bibserver-<version>.vsix. Everything comes from NuGet and npm at build time, so the
// installed extension downloads nothing.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const client = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repo = path.dirname(client);
const { version } = JSON.parse(fs.readFileSync(path.join(client, 'package.json'), 'utf8'));
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: 'inherit' });

// A fresh folder, so that no file of an older build rides along in the .vsix.
fs.rmSync(path.join(client, 'server'), { recursive: true, force: true });
run('dotnet', [
    'publish', 'server/BibServer', '-c', 'Release', '-o', 'client-vscode/server', '--nologo',
    // bibserver.dll is started with `dotnet`, so the native launcher is not needed; nor are translations of
    // the libraries' own messages.
    '-p:UseAppHost=false', '-p:SatelliteResourceLanguages=en',
], repo);
run('npm', ['run', 'build:production'], client);
const vsix = `bibserver-${version}.vsix`;
run('npx', ['vsce', 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', vsix], client);
const size = fs.statSync(path.join(client, vsix)).size;
console.log(`packaged ${path.relative(repo, path.join(client, vsix))} (${(size / 1024 / 1024).toFixed(1)} MB)`);
