import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Figure, judge, KB, MB, round } from './report';
import { repoRoot } from './shared';

/** Figure 6a/6b: what the user downloads and what activation loads. */
export function sizeFigures(): Figure[] {
  const bundle = statSync(join(repoRoot, 'dist', 'extension.js')).size;
  const vsix = statSync(join(repoRoot, 'dist', 'ideogram-upscale.vsix')).size;
  return [
    judge('bundle', `dist/extension.js is ${round(bundle / KB, 1)} KB`, round(bundle / KB, 1), 'KB', { op: '<', limit: 150 }, { bytes: bundle }),
    judge('vsix', `dist/ideogram-upscale.vsix is ${round(vsix / MB, 2)} MB`, round(vsix / MB, 2), 'MB', { op: '<', limit: 1.5 }, { bytes: vsix }),
  ];
}
