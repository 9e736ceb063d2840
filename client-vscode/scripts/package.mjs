// `npm run package`: the extension packed once for any platform and once per platform.
//   client-vscode/bibserver-<version>.vsix                the framework-dependent server (needs the .NET 10 runtime)
//   client-vscode/bibserver-<target>-<version>.vsix       a server with the runtime inside (vsce --target)
// for the targets linux-x64, linux-arm64, darwin-arm64, darwin-x64 and win32-x64. VS Code's marketplace offers a user
// the .vsix of their platform and the universal one elsewhere. Everything comes from NuGet and npm at build time, so
// the installed extension downloads nothing.
//
//   npm run package                              all of them
//   npm run package -- --targets linux-x64       the universal one and the given targets (comma-separated)
//   npm run package -- --targets none            only the universal one (what the VS Code suite installs)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const client = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repo = path.dirname(client);
const { version } = JSON.parse(fs.readFileSync(path.join(client, 'package.json'), 'utf8'));
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: 'inherit' });

// VS Code's platform names and .NET's runtime identifiers for them.
const platforms = {
    'linux-x64': 'linux-x64',
    'linux-arm64': 'linux-arm64',
    'darwin-arm64': 'osx-arm64',
    'darwin-x64': 'osx-x64',
    'win32-x64': 'win-x64',
};

function requestedTargets() {
    const at = process.argv.indexOf('--targets');
    if (at < 0) return Object.keys(platforms);
    const value = process.argv[at + 1] ?? '';
    if (value === 'none') return [];
    const targets = value.split(',').filter(t => t.length > 0);
    const unknown = targets.filter(t => !(t in platforms));
    if (unknown.length > 0 || targets.length === 0) {
        throw new Error(`--targets takes "none" or some of ${Object.keys(platforms).join(', ')}; got "${value}".`);
    }
    return targets;
}

const targets = requestedTargets();
const serverDir = path.join(client, 'server');

function publish(extra) {
    // A fresh folder, so that no file of an older build rides along in the .vsix.
    fs.rmSync(serverDir, { recursive: true, force: true });
    run('dotnet', ['publish', 'server/BibServer', '-c', 'Release', '-o', 'client-vscode/server', '--nologo', ...extra], repo);
}

function pack(vsix, target) {
    run('npx', ['vsce', 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository',
        ...(target ? ['--target', target] : []), '--out', vsix], client);
    const size = fs.statSync(path.join(client, vsix)).size;
    console.log(`packaged ${path.relative(repo, path.join(client, vsix))} (${(size / 1024 / 1024).toFixed(1)} MB)`);
}

run('npm', ['run', 'build:production'], client);

// bibserver.dll is started with `dotnet`, so the native launcher is not needed; nor are translations of the
// libraries' own messages.
publish(['-p:UseAppHost=false', '-p:SatelliteResourceLanguages=en']);
pack(`bibserver-${version}.vsix`);

for (const target of targets) {
    // The runtime identifier makes the project publish one self-contained ReadyToRun executable (BibServer.csproj).
    publish(['-r', platforms[target], '-p:DebugType=none']);
    pack(`bibserver-${target}-${version}.vsix`, target);
}
// The folder holds the last target's server now; the universal build is what a `code --extensionDevelopmentPath`
// run of the sources expects, so put it back when targets were built.
if (targets.length > 0) publish(['-p:UseAppHost=false', '-p:SatelliteResourceLanguages=en']);
