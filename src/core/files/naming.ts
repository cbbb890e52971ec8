/**
 * The file name of a copy: `{name}@upscaled.{ext}`, then `{name}@upscaled-2.{ext}` and so on when
 * a name is taken, so an earlier result is never overwritten.
 */
export function outputName(stem: string, ext: string, attempt = 1, pattern = '{name}@upscaled.{ext}'): string {
  const name = pattern.replace(/\{name\}/g, stem).replace(/\{ext\}/g, ext);
  if (attempt <= 1) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${attempt}${name.slice(dot)}` : `${name}-${attempt}`;
}
