/** Image formats told apart by their first bytes, never by the file name. */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'svg';

/** The formats the upscale service accepts and returns. */
export type UpscalableFormat = 'png' | 'jpeg' | 'webp';

export const formatInfo: Record<UpscalableFormat, { mime: string; ext: string }> = {
  png: { mime: 'image/png', ext: 'png' },
  jpeg: { mime: 'image/jpeg', ext: 'jpg' },
  webp: { mime: 'image/webp', ext: 'webp' },
};

export function sniffFormat(head: Uint8Array): ImageFormat | undefined {
  const b = head;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) {
    return 'png';
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return 'jpeg';
  }
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') {
    return 'webp';
  }
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    return 'gif';
  }
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) {
    return 'bmp';
  }
  const text = ascii(b, 0, Math.min(b.length, 512)).trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) {
    return 'svg';
  }
  return undefined;
}

export function isUpscalable(f: ImageFormat | undefined): f is UpscalableFormat {
  return f === 'png' || f === 'jpeg' || f === 'webp';
}

export interface Size {
  width: number;
  height: number;
}

/** Width and height from the header of a PNG, JPEG or WebP (the first 64 KiB suffice in practice). */
export function readSize(b: Uint8Array): Size | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (sniffFormat(b)) {
    case 'png':
      return b.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : undefined;
    case 'jpeg':
      return jpegSize(b, view);
    case 'webp':
      return webpSize(b, view);
    default:
      return undefined;
  }
}

function jpegSize(b: Uint8Array, view: DataView): Size | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = view.getUint16(i + 2);
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
    }
    i += 2 + length;
  }
  return undefined;
}

function webpSize(b: Uint8Array, view: DataView): Size | undefined {
  if (b.length < 30) {
    return undefined;
  }
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const w = b[24] | (b[25] << 8) | (b[26] << 16);
    const h = b[27] | (b[28] << 8) | (b[29] << 16);
    return { width: w + 1, height: h + 1 };
  }
  return undefined;
}

function ascii(b: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < b.length; i++) {
    s += String.fromCharCode(b[i]);
  }
  return s;
}
