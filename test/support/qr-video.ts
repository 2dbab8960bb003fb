import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { CHROMIUM_ARGS } from './chromium';

const FFMPEG_MISSING = 'ffmpeg is missing: install it with `sudo apt-get install -y ffmpeg`';

const FRAME = 'scale=360:360,pad=640:480:140:60:white';

/**
 * A looping fake-webcam video of one QR code, for Chromium's --use-file-for-fake-video-capture:
 * the QR at 360 px centred in a white 640×480 frame, 2 s at 15 fps (docs/environment.md).
 * With `blankFirst`, the first second is a plain white frame, so the QR code appears while the
 * camera is already running, as a ticket held up to it does.
 */
export async function qrVideo(text: string, { blankFirst = false } = {}): Promise<string> {
  if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status !== 0) throw new Error(FFMPEG_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'tw-qr-'));
  const png = join(dir, 'qr.png');
  const y4m = join(dir, 'qr.y4m');
  await QRCode.toFile(png, text, { margin: 4, width: 360 });
  const video = blankFirst
    ? [
        '-f',
        'lavfi',
        '-i',
        'color=white:s=640x480:d=1:r=15',
        '-loop',
        '1',
        '-t',
        '1',
        '-r',
        '15',
        '-i',
        png,
        '-filter_complex',
        `[1]${FRAME},setsar=1[q];[0]setsar=1[w];[w][q]concat=n=2:v=1,format=yuv420p`,
      ]
    : ['-loop', '1', '-i', png, '-vf', `${FRAME},format=yuv420p`, '-t', '2'];
  execFileSync('ffmpeg', ['-y', '-loglevel', 'error', ...video, '-r', '15', y4m], { stdio: 'pipe' });
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
