import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A real VS Code (the one the code-server package carries, 1.100) served on 127.0.0.1, with the
 * extension under development loaded through the page address, as ../shared/docs/real-vscode.md
 * describes. Used by the test runner, the UI tests and `npm run try`.
 */
export const repoRoot = resolve(__dirname, '..', '..', '..');
const codeServerBin = join(repoRoot, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');

export interface WorkbenchOptions {
  /** Copied to a fresh folder, so tests never change the repository's files. */
  workspaceTemplate: string;
  /** User settings written before the server starts. */
  settings?: Record<string, unknown>;
  /** Environment for the server, inherited by its extension host. */
  env?: Record<string, string>;
  port?: number;
  extraArgs?: string[];
  /**
   * A packaged extension to install and load instead of the repository's folder, so that what is
   * tested is exactly what users install.
   */
  vsix?: string;
  /** A display language: a minimal language pack is made and installed so VS Code really switches. */
  locale?: 'zh-cn';
  /**
   * More workspace folders, after the copied one, by URI: the window then opens a workspace file.
   * (A test cannot add a folder itself: VS Code refuses to enter a new workspace under test.)
   */
  extraFolders?: { uri: string; name: string }[];
}

export interface Workbench {
  port: number;
  workspace: string;
  userDataDir: string;
  /** The page that opens the workspace with the extension loaded (and the tests, when given). */
  url(extensionTestsPath?: string): string;
  stop(): Promise<void>;
}

export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  if (!existsSync(codeServerBin)) {
    throw new Error('The test VS Code is not installed: run `bash test/runners/setup-vscode.sh`.');
  }
  const root = await mkdtemp(join(tmpdir(), 'ideogram-upscale-vscode-'));
  const workspace = join(root, 'workspace');
  const userDataDir = join(root, 'user');
  const extensionsDir = join(root, 'extensions');
  await cp(options.workspaceTemplate, workspace, { recursive: true });
  const workspaceFile = options.extraFolders ? join(root, 'test.code-workspace') : undefined;
  if (workspaceFile) await writeFile(workspaceFile, JSON.stringify({ folders: [{ path: workspace }, ...(options.extraFolders ?? [])] }, null, 2));
  await mkdir(join(userDataDir, 'User'), { recursive: true });
  await mkdir(extensionsDir, { recursive: true });
  // The user of the test VS Code binds a key to the upscale command, with options as its args.
  const keybindings = [{ key: 'ctrl+alt+u', command: 'ideogramUpscale.upscale', args: { params: 'defaults', output: 'nextToOriginal' } }];
  await writeFile(join(userDataDir, 'User', 'keybindings.json'), JSON.stringify(keybindings, null, 2));
  await writeFile(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'git.enabled': false,
        'security.workspace.trust.enabled': false,
        ...options.settings,
      },
      null,
      2,
    ),
  );
  let extensionPath = repoRoot;
  if (options.vsix) {
    extensionPath = (await installVsix(options.vsix, userDataDir, extensionsDir, 'ideogram-upscale.ideogram-upscale-'))!;
  }
  const localeArgs = options.locale ? await installLanguagePack(options.locale, root, userDataDir, extensionsDir) : [];
  const port = options.port ?? (await freePort());
  const server = spawn(
    codeServerBin,
    [
      '--config', '/dev/null',
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      ...localeArgs,
      ...(options.extraArgs ?? []),
      workspace,
    ],
    { env: { ...process.env, IDEOGRAM_TEST_USER_DATA: userDataDir, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  await waitHealthy(port, server, output);
  const origin = `http://127.0.0.1:${port}`;
  const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
  return {
    port,
    workspace,
    userDataDir,
    url(extensionTestsPath) {
      const payload: [string, string][] = [['extensionDevelopmentPath', remote(extensionPath)]];
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      const opened = workspaceFile ? `workspace=${encodeURIComponent(workspaceFile)}` : `folder=${encodeURIComponent(workspace)}`;
      return `${origin}/?${opened}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    async stop() {
      await stopProcess(server);
    },
  };
}

/** Installs a .vsix the way a user's `--install-extension` does and returns its folder. */
async function installVsix(vsix: string, userDataDir: string, extensionsDir: string, folderPrefix: string): Promise<string> {
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn(codeServerBin, ['--config', '/dev/null', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`installing ${vsix} failed (${code}):\n${output}`))));
  });
  const installed = (await readdir(extensionsDir)).find((name) => name.startsWith(folderPrefix));
  if (!installed) throw new Error(`${vsix} was not installed into ${extensionsDir}`);
  return join(extensionsDir, installed);
}

/**
 * VS Code shows another display language only with a language pack, and none can be downloaded
 * here: this one translates nothing of VS Code itself (its menus stay English), which is enough
 * for `vscode.env.language`, `vscode.l10n` and package.nls.<locale>.json to take effect.
 */
async function installLanguagePack(locale: 'zh-cn', root: string, userDataDir: string, extensionsDir: string): Promise<string[]> {
  const dir = join(root, 'language-pack');
  await mkdir(join(dir, 'translations'), { recursive: true });
  const manifest = {
    name: `test-language-pack-${locale}`,
    publisher: 'test',
    version: '1.0.0',
    license: 'MIT',
    repository: 'https://example.invalid/none',
    engines: { vscode: '^1.100.0' },
    contributes: {
      localizations: [
        { languageId: locale, languageName: 'Chinese Simplified', localizedLanguageName: '中文(简体)', translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] },
      ],
    },
  };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'README.md'), 'Test language pack.');
  await writeFile(join(dir, 'LICENSE'), 'MIT');
  await writeFile(join(dir, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  const vsix = join(root, 'language-pack.vsix');
  await run(process.execPath, [join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--out', vsix], dir);
  const installed = await installVsix(vsix, userDataDir, extensionsDir, `test.${manifest.name}-`);
  await writeFile(
    join(userDataDir, 'languagepacks.json'),
    JSON.stringify({
      [locale]: {
        hash: 'a0b1c2d3',
        extensions: [{ extensionIdentifier: { id: `test.${manifest.name}` }, version: '1.0.0' }],
        translations: { vscode: join(installed, 'translations', 'main.i18n.json') },
        label: '中文(简体)',
      },
    }),
  );
  return ['--locale', locale];
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}

async function waitHealthy(port: number, server: ChildProcess, output: string[]): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (server.exitCode !== null) {
      throw new Error(`code-server exited with ${server.exitCode}:\n${output.join('')}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopProcess(server);
  throw new Error(`code-server did not answer /healthz within 60 s:\n${output.join('')}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};
