#!/usr/bin/env node
// Draws media/icon.png (128×128): the event loop as a ring with an arrowhead, and a lens over
// the spot where it blocks. Plain geometry, 4×4 supersampled, written with node:zlib.
// Run `node scripts/build/drawIcon.mjs` after changing it; the PNG is committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const SS = 4;

/** Colour of one sample point as [r, g, b, a] (0–255, a 0–1), or null for transparent. */
function sample(x, y) {
  let px = null;
  const over = (c) => {
    if (!px || c[3] >= 1) px = c;
    else px = px.map((v, i) => (i < 3 ? v * (1 - c[3]) + c[i] * c[3] : Math.min(1, v + c[3])));
  };
  // Rounded-square tile.
  const r = 22;
  const dx = Math.max(r - x, 0, x - (N - r));
  const dy = Math.max(r - y, 0, y - (N - r));
  if (dx * dx + dy * dy > r * r) return null;
  over([30, 34, 48, 1]);
  // The loop: a ring around (54, 54), open near the top right where the arrowhead sits.
  const cx = 54;
  const cy = 54;
  const d = Math.hypot(x - cx, y - cy);
  const ang = (Math.atan2(y - cy, x - cx) * 180) / Math.PI; // -180..180, 0 = right, 90 = down
  if (d > 30 && d < 40 && !(ang > -75 && ang < -35)) over([74, 163, 255, 1]);
  // Arrowhead at the open end (pointing clockwise, into the gap).
  const ax = cx + 35 * Math.cos((-75 * Math.PI) / 180);
  const ay = cy + 35 * Math.sin((-75 * Math.PI) / 180);
  if (inTriangle(x, y, [ax - 12, ay - 11], [ax - 12, ay + 11], [ax + 8, ay]))
    over([74, 163, 255, 1]);
  // The lens: handle, rim and tinted glass over the ring's lower right (the blocked spot).
  const lx = 78;
  const ly = 78;
  const ld = Math.hypot(x - lx, y - ly);
  const t = (x - lx + (y - ly)) / Math.SQRT2;
  const side = Math.abs((x - lx - (y - ly)) / Math.SQRT2);
  if (t > 22 && t < 48 && side < 6) over([240, 240, 245, 1]);
  if (ld < 19) over([255, 120, 40, 0.55]);
  if (ld >= 19 && ld < 25) over([240, 240, 245, 1]);
  return px;
}

function inTriangle(x, y, a, b, c) {
  const s = (p, q) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const d1 = s(a, b);
  const d2 = s(b, c);
  const d3 = s(c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < N; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        if (!c) continue;
        for (let i = 0; i < 3; i++) acc[i] += c[i] * c[3];
        acc[3] += c[3];
      }
    }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    const a = acc[3];
    for (let i = 0; i < 3; i++) raw[o + i] = a ? Math.round(acc[i] / a) : 0;
    raw[o + 3] = Math.round((a / (SS * SS)) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('../../media/icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);
