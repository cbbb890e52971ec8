import { ascii, concat, JpegSegment, jpegSegments, malformed, u16be } from './bytes';
import { isExif, minimalExif, readJpegExif } from './exif';

/** The identifier at the start of an APPn payload (up to its NUL), e.g. `Exif`, `ICC_PROFILE`. */
function appIdentifier(b: Uint8Array, s: JpegSegment): string {
  const from = s.start + 4;
  const limit = Math.min(s.end, from + 64);
  for (let i = from; i < limit; i++) {
    if (b[i] === 0) {
      return ascii(b, from, i - from);
    }
  }
  return '';
}

function isIcc(b: Uint8Array, s: JpegSegment): boolean {
  return s.marker === 0xe2 && s.end - s.start >= 18 && ascii(b, s.start + 4, 12) === 'ICC_PROFILE\0';
}

/** The raw APP2 `ICC_PROFILE` segments (marker included), ordered by sequence number. */
export function readJpegIcc(bytes: Uint8Array): Uint8Array[] {
  return jpegSegments(bytes)
    .segments.filter((s) => isIcc(bytes, s))
    .map((s) => bytes.slice(s.start, s.end))
    .map((seg, order) => ({ seg, order }))
    .sort((a, b) => a.seg[16] - b.seg[16] || a.order - b.order)
    .map((x) => x.seg);
}

/**
 * Inserts whole marker segments right after SOI (and after the JFIF APP0 segments, if any).
 * The result's own EXIF and ICC segments are removed first, as are its segments of the same kind
 * (marker and identifier) as an inserted one.
 */
export function writeJpegWithSegments(bytes: Uint8Array, segments: Uint8Array[]): Uint8Array {
  const { segments: existing, scan } = jpegSegments(bytes);
  const kinds = new Set<string>();
  for (const seg of segments) {
    const marker = seg[1];
    if (seg.length < 4 || seg[0] !== 0xff || u16be(seg, 2) + 2 !== seg.length || !((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe)) {
      throw malformed('JPEG');
    }
    kinds.add(kindOf(seg, { marker, start: 0, end: seg.length }));
  }
  let at = 0;
  while (at < existing.length && existing[at].marker === 0xe0) {
    at++;
  }
  const keep = (s: JpegSegment) => !isExif(bytes, s) && !isIcc(bytes, s) && !kinds.has(kindOf(bytes, s));
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  existing.slice(0, at).forEach((s) => parts.push(bytes.subarray(s.start, s.end)));
  parts.push(...segments);
  existing
    .slice(at)
    .filter(keep)
    .forEach((s) => parts.push(bytes.subarray(s.start, s.end)));
  parts.push(bytes.subarray(scan));
  return concat(parts);
}

function kindOf(b: Uint8Array, s: JpegSegment): string {
  return `${s.marker}:${s.marker === 0xfe ? '' : appIdentifier(b, s)}`;
}

export function keepJpeg(source: Uint8Array, result: Uint8Array, all: boolean): Uint8Array | undefined {
  const segments: Uint8Array[] = [];
  if (!all) {
    const exif = readJpegExif(source);
    const minimal = exif && minimalExif(exif);
    if (minimal) {
      segments.push(minimal);
    }
    segments.push(...readJpegIcc(source));
  } else {
    const resultKinds = new Set(jpegSegments(result).segments.map((s) => kindOf(result, s)));
    for (const s of jpegSegments(source).segments) {
      if (s.marker < 0xe1 || s.marker > 0xef) {
        continue;
      }
      const id = appIdentifier(source, s);
      // Adobe APP14 says how to transform the colour channels, MPF APP2 points at byte offsets of
      // other images in the file: both describe the old encoding, not the picture.
      if ((s.marker === 0xee && ascii(source, s.start + 4, 5) === 'Adobe') || (s.marker === 0xe2 && id === 'MPF')) {
        continue;
      }
      if (isExif(source, s) || isIcc(source, s) || !resultKinds.has(kindOf(source, s))) {
        segments.push(source.slice(s.start, s.end));
      }
    }
  }
  return segments.length > 0 ? writeJpegWithSegments(result, segments) : undefined;
}
