import type { UpscalableFormat } from './format';

/**
 * The file names the product offers to upscale: the one list behind every menu's when-clause
 * (package.json, checked by a unit test), the palette's image picker and the job's check that a
 * file's name matches its content.
 */
const extensionsOf: Record<UpscalableFormat, readonly string[]> = {
  png: ['png'],
  jpeg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  webp: ['webp'],
};

export const upscalableExtensions: readonly string[] = Object.values(extensionsOf).flat();

/** The when-clause test that package.json's menus carry, letter for letter. */
export const whenClauseExtensions = `resourceExtname =~ /^\\.(${upscalableExtensions.join('|')})$/i`;

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

export function hasExtensionOf(format: UpscalableFormat, fileName: string): boolean {
  return extensionsOf[format].includes(extensionOf(fileName));
}

export function isUpscalableName(fileName: string): boolean {
  return upscalableExtensions.includes(extensionOf(fileName));
}
