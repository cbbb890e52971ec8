// Crops a screenshot of the test VS Code (test-output/screenshots/) into a README picture:
//   node scripts/readme-picture.js <screenshot.png> <media/readme/name.png> <x> <y> <width> <height>
// Coordinates are in the screenshot's pixels. Needs `npm run compile-tests` first (it uses the
// project's own codecs from out/).
const { readFileSync, writeFileSync } = require('node:fs');
const { loadCodecs } = require('../out/src/core/images/codecs.js');

async function main() {
  const [from, to, ...box] = process.argv.slice(2);
  const [x, y, width, height] = box.map(Number);
  if (!from || !to || [x, y, width, height].some((n) => !Number.isInteger(n) || n < 0)) {
    throw new Error('usage: node scripts/readme-picture.js <in.png> <out.png> <x> <y> <width> <height>');
  }
  const codecs = await loadCodecs();
  const image = await codecs.decode(new Uint8Array(readFileSync(from)));
  const w = Math.min(width, image.width - x);
  const h = Math.min(height, image.height - y);
  const data = new Uint8ClampedArray(w * h * 4);
  for (let row = 0; row < h; row++) {
    const start = ((y + row) * image.width + x) * 4;
    data.set(image.data.subarray(start, start + w * 4), row * w * 4);
  }
  writeFileSync(to, await codecs.encode({ width: w, height: h, data }, 'png'));
  console.log(`${to}: ${w}×${h}`);
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
