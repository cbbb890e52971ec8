import * as assert from 'node:assert/strict';
import { alwaysExcluded, EntryKind, walkImages } from '../../src/core/batch/walk';

/** A tree in memory: folder path → its entries. */
function tree(paths: string[]): { list: (rel: string) => Promise<[string, EntryKind][]>; listed: string[] } {
  const folders = new Map<string, Map<string, EntryKind>>([['', new Map()]]);
  for (const path of paths) {
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const isFolder = i < parts.length - 1;
      if (!folders.has(parent)) folders.set(parent, new Map());
      folders.get(parent)!.set(parts[i], isFolder ? 'folder' : 'file');
      if (isFolder && !folders.has(parts.slice(0, i + 1).join('/'))) folders.set(parts.slice(0, i + 1).join('/'), new Map());
    }
  }
  const listed: string[] = [];
  return {
    listed,
    list: async (rel) => {
      listed.push(rel);
      return [...(folders.get(rel) ?? new Map()).entries()];
    },
  };
}

describe('Walking a folder for images', () => {
  const files = [
    'logo.png',
    'README.md',
    'assets/icons/a.PNG',
    'assets/icons/b.svg',
    'assets/photos/c.jpeg',
    'assets/photos/raw/d.tiff',
    'assets/tmp/e.webp',
    'node_modules/pkg/f.png',
    'packages/app/node_modules/pkg/g.png',
    '.git/objects/h.png',
    'build/i.png',
  ];

  it('finds every image name, in any case, and leaves out node_modules and .git without listing them', async () => {
    const t = tree(files);
    const found = await walkImages('', t.list, alwaysExcluded);
    assert.deepEqual(found, ['assets/icons/a.PNG', 'assets/icons/b.svg', 'assets/photos/c.jpeg', 'assets/photos/raw/d.tiff', 'assets/tmp/e.webp', 'build/i.png', 'logo.png']);
    assert.ok(!t.listed.some((f) => f.includes('node_modules') || f.startsWith('.git')), `listed: ${t.listed.join(', ')}`);
  });

  it('honours files.exclude globs for folders and files, relative to the workspace folder', async () => {
    const t = tree(files);
    const found = await walkImages('assets', t.list, [...alwaysExcluded, '**/tmp', 'build', '**/*.svg']);
    assert.deepEqual(found, ['assets/icons/a.PNG', 'assets/photos/c.jpeg', 'assets/photos/raw/d.tiff']);
    assert.ok(!t.listed.includes('assets/tmp'), 'an excluded folder is not listed');
  });
});
