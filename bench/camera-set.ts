import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { PNG } from 'pngjs';
import {
  BinaryBitmap,
  DecodeHintType,
  GlobalHistogramBinarizer,
  HybridBinarizer,
  QRCodeReader,
  RGBLuminanceSource,
  type Binarizer,
  type LuminanceSource,
} from '@zxing/library';

/**
 * What a window's webcam sees (issue 14 item 6), generated at each run so nothing large is kept
 * in git: each code drawn with each distortion into one 640×480 still, and that still as a
 * looping 2 s video at 15 fps for Chromium's fake camera. Every frame of a video is the still, so
 * the app's camera path and the Node reference decode exactly the same picture.
 */

/** A trip code and what a visitor's Douyin app shows for a coupon (a v.douyin.com short link). */
export const CAMERA_CODES = ['TW1000000002', 'https://v.douyin.com/iRNBho6u/'];

/** ffmpeg filters from the QR (a PNG, 4 modules of margin) to the camera's 640×480 grey frame. */
const DISTORTIONS: Record<string, string> = {
  clean: 'scale=320:320,pad=640:480:160:80:white',
  small: 'scale=120:120:flags=area,pad=640:480:260:180:white',
  tiny: 'scale=76:76:flags=area,pad=640:480:282:202:white',
  // A phone held at an angle: one side of the code nearer the camera.
  angle:
    'scale=300:300,pad=640:480:170:90:white,perspective=x0=150:y0=40:x1=470:y1=120:x2=150:y2=440:x3=470:y3=360:sense=destination',
  rotated: 'scale=300:300,pad=640:480:170:90:white,rotate=35*PI/180:fillcolor=white',
  blurred: 'scale=260:260,pad=640:480:190:110:white,gblur=sigma=3.2',
  // Evening at the gate: dark, flat and grainy.
  low_light: 'scale=300:300,pad=640:480:170:90:white,format=gray,eq=brightness=-0.32:contrast=0.35,noise=alls=28',
  // A lamp reflected on a phone's glass across part of the code.
  glare:
    "scale=300:300,pad=640:480:170:90:white,format=gray,geq=lum='min(255,lum(X,Y)+235*exp(-(pow(X-360,2)+pow(Y-210,2))/3600))'",
  // A phone screen filmed: the display's pixel grid beats with the camera's.
  moire: "scale=300:300,pad=640:480:170:90:white,format=gray,geq=lum='lum(X,Y)*(0.72+0.28*sin(X*1.7+Y*0.6))',gblur=sigma=0.8",
  // A printed ticket: grey paper, faded toner, a little tilt and softness.
  printed:
    'scale=220:220,pad=640:480:210:130:white,rotate=8*PI/180:fillcolor=white,format=gray,eq=contrast=0.5:brightness=-0.08,noise=alls=18,gblur=sigma=1.1',
  // The hard case: small, at an angle and with glare.
  small_angle_glare:
    "scale=150:150,pad=640:480:245:165:white,perspective=x0=245:y0=150:x1=395:y1=185:x2=245:y2=330:x3=395:y3=295:sense=destination,format=gray,geq=lum='min(255,lum(X,Y)+200*exp(-(pow(X-330,2)+pow(Y-220,2))/900))'",
};

export interface CameraSample {
  name: string;
  code: string;
  png: string;
  y4m: string;
}

/** Writes each code × distortion as a still (PNG) and a fake-camera video (y4m) into `dir`. */
export async function makeCameraSet(codes: readonly string[] = CAMERA_CODES): Promise<{ dir: string; samples: CameraSample[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'tw-camera-set-'));
  const samples: CameraSample[] = [];
  for (const [c, code] of codes.entries()) {
    const qr = join(dir, `qr${c}.png`);
    await QRCode.toFile(qr, code, { margin: 4, width: 400 });
    for (const [distortion, filter] of Object.entries(DISTORTIONS)) {
      const name = `${distortion}-${c}`;
      const png = join(dir, `${name}.png`);
      const y4m = join(dir, `${name}.y4m`);
      const ff = (args: string[]) => execFileSync('ffmpeg', ['-y', '-loglevel', 'error', ...args], { stdio: 'pipe' });
      ff(['-i', qr, '-vf', `${filter},format=gray`, '-frames:v', '1', png]);
      ff(['-loop', '1', '-i', png, '-vf', 'format=yuv420p', '-t', '2', '-r', '15', y4m]);
      samples.push({ name, code, png, y4m });
    }
  }
  return { dir, samples };
}

function luminanceOf(file: string): LuminanceSource {
  const png = PNG.sync.read(readFileSync(file));
  const grey = new Uint8ClampedArray(png.width * png.height);
  for (let i = 0; i < grey.length; i++) grey[i] = png.data[i * 4]!;
  return new RGBLuminanceSource(grey, png.width, png.height);
}

/**
 * The reference: @zxing/library at its strongest in Node — its QR reader (the one format a ticket or
 * coupon uses) with TRY_HARDER, the hybrid binarizer and then the global one, the picture as is and
 * inverted.
 */
export function referenceDecode(file: string): string | null {
  const reader = new QRCodeReader();
  const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]]);
  const source = luminanceOf(file);
  const binarizers: ((s: LuminanceSource) => Binarizer)[] = [
    (s) => new HybridBinarizer(s),
    (s) => new GlobalHistogramBinarizer(s),
  ];
  for (const picture of [source, source.invert()]) {
    for (const binarize of binarizers) {
      try {
        return reader.decode(new BinaryBitmap(binarize(picture)), hints).getText();
      } catch {
        // Not found with this binarizer: the next one.
      }
    }
  }
  return null;
}
