import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { CHROMIUM_ARGS } from './chromium';

export const FFMPEG_MISSING = 'ffmpeg is missing: install it with `sudo apt-get install -y ffmpeg`';

/**
 * A looping fake-webcam video of one QR code, for Chromium's --use-file-for-fake-video-capture:
 * the QR at 360 px centred in a white 640×480 frame, 2 s at 15 fps (docs/environment.md).
 */
export async function qrVideo(text: string, dir = mkdtempSync(join(tmpdir(), 'tw-qr-'))): Promise<string> {
  if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status !== 0) throw new Error(FFMPEG_MISSING);
  const png = join(dir, 'qr.png');
  const y4m = join(dir, 'qr.y4m');
  await QRCode.toFile(png, text, { margin: 4, width: 360 });
  execFileSync(
    'ffmpeg',
    ['-y', '-loglevel', 'error', '-loop', '1', '-i', png, '-vf', 'scale=360:360,pad=640:480:140:60:white,format=yuv420p', '-t', '2', '-r', '15', y4m],
    { stdio: 'pipe' },
  );
  return y4m;
}

/** Chromium flags for a fake camera playing `y4m`, with the permission prompt answered yes. */
export function fakeCameraArgs(y4m: string): string[] {
  return [
    ...CHROMIUM_ARGS,
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${y4m}`,
  ];
}
