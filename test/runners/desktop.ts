import { mkdtemp, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './workbench';

/**
 * The same integration suite under @vscode/test-electron, for machines that can download VS Code
 * (`npm run test:desktop`). Screenshots are taken only by the code-server runner.
 */
async function main(): Promise<void> {
  const workspace = join(await mkdtemp(join(tmpdir(), 'ideogram-upscale-desktop-')), 'workspace');
  await cp(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { IDEOGRAM_TEST_OUT: join(repoRoot, 'test-output', 'desktop') },
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
