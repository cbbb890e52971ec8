import { libraries } from '../lazyLibraries';

export type EntryKind = 'file' | 'folder' | 'other';
/** The entries of a folder given by its path relative to the walk's root ('' for the root). */
export type ListFolder = (relative: string) => Promise<[name: string, kind: EntryKind][]>;

/** Names an image may have, upscalable or not: the plan says why the others are left out. */
const imageName = /\.(png|jpe?g|jpe|jfif|webp|gif|svg|bmp|tiff?|avif|heic)$/i;

/**
 * The image files below `start` (relative to the root, '' for the root itself), as paths relative
 * to the root with forward slashes. A folder or file whose path matches one of `exclude` (globs
 * relative to the root, as `files.exclude` writes them) is left out with everything below it.
 * Links to folders are not followed: one may loop, or lead out of the repository.
 */
export async function walkImages(start: string, list: ListFolder, exclude: readonly string[]): Promise<string[]> {
  const excluded = exclude.length ? libraries().picomatch([...exclude], { dot: true }) : () => false;
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await list(folder);
    const below: Promise<void>[] = [];
    for (const [name, kind] of entries) {
      const path = folder ? `${folder}/${name}` : name;
      if (excluded(path)) continue;
      if (kind === 'folder') below.push(walk(path));
      else if (kind === 'file' && imageName.test(name)) found.push(path);
    }
    await Promise.all(below);
  };
  await walk(start);
  return found.sort();
}

/** The folders no one upscales, whatever the settings say. */
export const alwaysExcluded = ['**/node_modules', '**/.git'];
