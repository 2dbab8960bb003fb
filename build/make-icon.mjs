#!/usr/bin/env node
// Draws build/icon.png (256x256, what electron-builder turns into the Windows .ico and the Linux
// icon) from code, so the icon can be changed in review instead of in an image editor.
// Run: node build/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

const SIZE = 256;
const png = new PNG({ width: SIZE, height: SIZE });
const BACKGROUND = [15, 23, 42]; // the window's own background (#0f172a)
const TICKET = [248, 250, 252];
const CHECK = [22, 163, 74];

function inRoundedRect(x, y, left, top, right, bottom, radius) {
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return x >= left && x <= right && y >= top && y <= bottom && (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function distanceToSegment(x, y, [ax, ay], [bx, by]) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    let color = null;
    if (inRoundedRect(x, y, 8, 8, 247, 247, 48)) color = BACKGROUND;
    // A ticket with a notch on each side, the way a paper ticket is torn at the gate.
    const notch = Math.hypot(x - 40, y - 128) < 18 || Math.hypot(x - 216, y - 128) < 18;
    if (inRoundedRect(x, y, 40, 68, 216, 188, 14) && !notch) color = TICKET;
    const tick = Math.min(distanceToSegment(x, y, [88, 128], [118, 158]), distanceToSegment(x, y, [118, 158], [172, 100]));
    if (tick < 11) color = CHECK;
    const i = (y * SIZE + x) * 4;
    png.data[i] = color?.[0] ?? 0;
    png.data[i + 1] = color?.[1] ?? 0;
    png.data[i + 2] = color?.[2] ?? 0;
    png.data[i + 3] = color ? 255 : 0;
  }
}
writeFileSync(new URL('./icon.png', import.meta.url), PNG.sync.write(png));
