/** EXIF: the TIFF structure inside a JPEG's APP1 segment, a PNG's eXIf chunk or a WebP's EXIF chunk. */
import { ascii, JpegSegment, jpegSegments, u16, u16be, u32, writeU16, writeU32 } from './bytes';

const EXIF_ORIENTATION = 0x0112;
const EXIF_X_RESOLUTION = 0x011a;
const EXIF_Y_RESOLUTION = 0x011b;
const EXIF_RESOLUTION_UNIT = 0x0128;
const TIFF_SHORT = 3;
const TIFF_RATIONAL = 5;
const TIFF_TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

interface IfdEntry {
  tag: number;
  type: number;
  count: number;
  /** Offset, within the TIFF data, of the entry's 12 bytes. */
  at: number;
}

interface Ifd0 {
  tiff: Uint8Array;
  little: boolean;
  entries: IfdEntry[];
}

export function isExif(b: Uint8Array, s: JpegSegment): boolean {
  return s.marker === 0xe1 && s.end - s.start >= 10 && ascii(b, s.start + 4, 6) === 'Exif\0\0';
}

/** The raw APP1 `Exif` segment (marker included), if any. */
export function readJpegExif(bytes: Uint8Array): Uint8Array | undefined {
  const s = jpegSegments(bytes).segments.find((seg) => isExif(bytes, seg));
  return s && bytes.slice(s.start, s.end);
}

/**
 * TIFF data of an APP1 Exif segment, of a JPEG that holds one, or given as is (a PNG eXIf or WebP
 * EXIF payload, which some writers start with the `Exif\0\0` of JPEG).
 */
function exifTiff(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length >= 6 && ascii(bytes, 0, 6) === 'Exif\0\0') return bytes.subarray(6);
  if (bytes.length >= 4 && (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*')) return bytes;
  let seg: Uint8Array | undefined = bytes;
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    seg = readJpegExif(bytes);
  }
  if (!seg || seg.length < 18 || seg[0] !== 0xff || seg[1] !== 0xe1 || ascii(seg, 4, 6) !== 'Exif\0\0') {
    return undefined;
  }
  const end = Math.min(seg.length, 2 + u16be(seg, 2));
  return seg.subarray(10, end);
}

function readIfd0(tiff: Uint8Array): Ifd0 | undefined {
  if (tiff.length < 8) {
    return undefined;
  }
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') {
    return undefined;
  }
  const little = order === 'II';
  if (u16(tiff, 2, little) !== 42) {
    return undefined;
  }
  const ifd = u32(tiff, 4, little);
  if (ifd < 8 || ifd + 2 > tiff.length) {
    return undefined;
  }
  const count = u16(tiff, ifd, little);
  if (ifd + 2 + count * 12 > tiff.length) {
    return undefined;
  }
  const entries: IfdEntry[] = [];
  for (let k = 0; k < count; k++) {
    const at = ifd + 2 + k * 12;
    entries.push({ tag: u16(tiff, at, little), type: u16(tiff, at + 2, little), count: u32(tiff, at + 4, little), at });
  }
  return { tiff, little, entries };
}

/** IFD0 of EXIF data in any of the forms exifTiff takes; undefined when it is malformed. */
function ifd0Of(bytes: Uint8Array): Ifd0 | undefined {
  try {
    const tiff = exifTiff(bytes);
    return tiff && readIfd0(tiff);
  } catch {
    return undefined;
  }
}

/** The tags of IFD0 in EXIF data (as exifTiff takes it), in order; undefined when there is none. */
export function readExifTags(bytes: Uint8Array): number[] | undefined {
  return ifd0Of(bytes)?.entries.map((e) => e.tag);
}

/** The EXIF orientation (1-8) of a JPEG, an APP1 Exif segment, or a PNG's or WebP's EXIF payload. */
export function readExifOrientation(bytes: Uint8Array): number | undefined {
  const ifd = ifd0Of(bytes);
  const e = ifd?.entries.find((x) => x.tag === EXIF_ORIENTATION);
  if (!ifd || !e || e.type !== TIFF_SHORT || e.count !== 1) {
    return undefined;
  }
  // readIfd0 only lists entries that lie within the TIFF data, so this read stays in bounds.
  return u16(ifd.tiff, e.at + 8, ifd.little);
}

/**
 * A new, small APP1 Exif segment (same byte order) holding only IFD0's Orientation,
 * XResolution, YResolution and ResolutionUnit from `exifSegment`: GPS, maker notes, thumbnails
 * and the rest are dropped. Undefined when the segment is malformed or has none of these tags.
 */
export function minimalExif(exifSegment: Uint8Array): Uint8Array | undefined {
  const tiff = minimalExifTiff(exifSegment);
  if (!tiff) return undefined;
  const segment = new Uint8Array(10 + tiff.length);
  segment[0] = 0xff;
  segment[1] = 0xe1;
  writeU16(segment, 2, 8 + tiff.length, false);
  segment.set([0x45, 0x78, 0x69, 0x66, 0, 0], 4); // "Exif\0\0"
  segment.set(tiff, 10);
  return segment;
}

/** The same four tags as bare TIFF data, as a PNG eXIf or a WebP EXIF chunk holds them. */
export function minimalExifTiff(exif: Uint8Array): Uint8Array | undefined {
  try {
    const ifd = ifd0Of(exif);
    if (!ifd) {
      return undefined;
    }
    const wanted: Record<number, number> = {
      [EXIF_ORIENTATION]: TIFF_SHORT,
      [EXIF_X_RESOLUTION]: TIFF_RATIONAL,
      [EXIF_Y_RESOLUTION]: TIFF_RATIONAL,
      [EXIF_RESOLUTION_UNIT]: TIFF_SHORT,
    };
    const kept: { e: IfdEntry; value: Uint8Array }[] = [];
    const seen = new Set<number>();
    for (const e of ifd.entries) {
      if (wanted[e.tag] !== e.type || e.count !== 1 || seen.has(e.tag)) {
        continue;
      }
      const size = TIFF_TYPE_SIZE[e.type] * e.count;
      let value: Uint8Array;
      if (size <= 4) {
        value = ifd.tiff.subarray(e.at + 8, e.at + 12);
      } else {
        const offset = u32(ifd.tiff, e.at + 8, ifd.little);
        if (offset + size > ifd.tiff.length) {
          continue;
        }
        value = ifd.tiff.subarray(offset, offset + size);
      }
      seen.add(e.tag);
      kept.push({ e, value });
    }
    if (kept.length === 0) {
      return undefined;
    }
    kept.sort((a, b) => a.e.tag - b.e.tag);
    const little = ifd.little;
    const ifdSize = 2 + kept.length * 12 + 4;
    let dataSize = 0;
    kept.forEach((k) => (dataSize += k.value.length > 4 ? k.value.length : 0));
    const tiffOut = new Uint8Array(8 + ifdSize + dataSize);
    tiffOut.set(ifd.tiff.subarray(0, 2)); // II or MM
    writeU16(tiffOut, 2, 42, little);
    writeU32(tiffOut, 4, 8, little);
    writeU16(tiffOut, 8, kept.length, little);
    let data = 8 + ifdSize;
    kept.forEach((k, n) => {
      const at = 10 + n * 12;
      writeU16(tiffOut, at, k.e.tag, little);
      writeU16(tiffOut, at + 2, k.e.type, little);
      writeU32(tiffOut, at + 4, k.e.count, little);
      if (k.value.length <= 4) {
        tiffOut.set(k.value, at + 8); // same byte order, so the raw bytes stay valid
      } else {
        writeU32(tiffOut, at + 8, data, little);
        tiffOut.set(k.value, data);
        data += k.value.length;
      }
    });
    // next-IFD offset after the entries is left 0: no IFD1, so no thumbnail
    return tiffOut;
  } catch {
    return undefined;
  }
}
