import type { BrowserQRCodeReader } from '@zxing/browser';
import type { LuminanceSource } from '@zxing/library';

type Browser = typeof import('@zxing/browser');
type Library = typeof import('@zxing/library');

/**
 * Measured on the camera set (bench/camera-set.ts): the hybrid binarizer (zxing's default) reads
 * small codes that the global-histogram one misses, and only the global one reads a dark, flat
 * picture (low light). TRY_HARDER read nothing more there. Frames alternate between the two, so
 * each frame still costs one decode on the main thread and both get their chance a few times a
 * second.
 */
// Between failed attempts: at 15–30 fps a new frame is there; 120 ms made a code wait ~60 ms
// on average before its first look (bench: camera_to_answer_ms_p50).
const OPTIONS = { delayBetweenScanAttempts: 40, delayBetweenScanSuccess: 300 };

export function createCameraReader(
  { BrowserQRCodeReader, HTMLCanvasElementLuminanceSource }: Browser,
  library: Library,
): BrowserQRCodeReader {
  const binarizers = [
    (source: LuminanceSource) => new library.HybridBinarizer(source),
    (source: LuminanceSource) => new library.GlobalHistogramBinarizer(source),
  ];
  let frame = 0;
  const reader = new BrowserQRCodeReader(undefined, OPTIONS);
  reader.decodeFromCanvas = (canvas) => {
    const binarize = binarizers[frame++ % binarizers.length]!;
    return reader.decodeBitmap(new library.BinaryBitmap(binarize(new HTMLCanvasElementLuminanceSource(canvas))));
  };
  return reader;
}
