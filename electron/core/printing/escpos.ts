import iconv from 'iconv-lite';
import { SLIP_COLUMNS, type SlipBlock } from './slip';

// ESC/POS control bytes (Epson's command reference; Chinese 80 mm printers follow it).
const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;
const EOT = 0x04;
const LF = 0x0a;

/** Real-time status requests (DLE EOT n): answered with one byte as soon as the printer reads them. */
export const STATUS_REQUEST = {
  printer: Buffer.from([DLE, EOT, 1]),
  offline: Buffer.from([DLE, EOT, 2]),
  paper: Buffer.from([DLE, EOT, 4]),
} as const;

/** QR module size in dots: 6 × 6 makes a verify id's code about 2.5 cm wide, easy for a phone. */
const QR_MODULE_DOTS = 6;

/** GS ( k with cn = 49 (QR code): pL pH count the bytes after them. */
function qrCommand(fn: number, params: Buffer): Buffer {
  const length = params.length + 2;
  return Buffer.concat([Buffer.from([GS, 0x28, 0x6b, length & 0xff, length >> 8, 0x31, fn]), params]);
}

function qrBytes(data: string): Buffer {
  const payload = Buffer.from(data, 'utf8');
  return Buffer.concat([
    qrCommand(0x41, Buffer.from([0x32, 0x00])), // fn 165: model 2
    qrCommand(0x43, Buffer.from([QR_MODULE_DOTS])), // fn 167: module size
    qrCommand(0x45, Buffer.from([0x31])), // fn 169: error correction M (15 %)
    qrCommand(0x50, Buffer.concat([Buffer.from([0x30]), payload])), // fn 180: store the data
    qrCommand(0x51, Buffer.from([0x30])), // fn 181: print it
  ]);
}

/**
 * The slip as the bytes an ESC/POS printer takes: initialise, Chinese character mode with the
 * text in GB18030 (what Chinese printers' fonts are indexed by), the lines, the QR code of the
 * verify ids printed by the printer itself, then feed past the cutter and cut (GS V 66).
 */
export function encodeSlip(blocks: readonly SlipBlock[]): Buffer {
  const parts: Buffer[] = [Buffer.from([ESC, 0x40]), Buffer.from([FS, 0x26])];
  let align = -1;
  const setAlign = (n: number) => {
    if (n !== align) parts.push(Buffer.from([ESC, 0x61, n]));
    align = n;
  };
  for (const block of blocks) {
    if (block.kind === 'rule') {
      setAlign(0);
      parts.push(Buffer.from('-'.repeat(SLIP_COLUMNS), 'ascii'), Buffer.from([LF]));
    } else if (block.kind === 'qr') {
      setAlign(1);
      parts.push(qrBytes(block.data), Buffer.from([LF]));
    } else {
      setAlign(block.align === 'center' ? 1 : 0);
      if (block.big) parts.push(Buffer.from([GS, 0x21, 0x11]));
      if (block.bold) parts.push(Buffer.from([ESC, 0x45, 1]));
      parts.push(iconv.encode(block.text, 'gb18030'), Buffer.from([LF]));
      if (block.bold) parts.push(Buffer.from([ESC, 0x45, 0]));
      if (block.big) parts.push(Buffer.from([GS, 0x21, 0x00]));
    }
  }
  // Function B: feed to the cutting position plus 3 lines' worth of dots, then a partial cut.
  parts.push(Buffer.from([GS, 0x56, 0x42, 3]));
  return Buffer.concat(parts);
}

/** What the printer's status bytes say, bit by bit as Epson documents DLE EOT 1, 2 and 4. */
export interface PrinterReport {
  offline: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  error: boolean;
}

/** A DLE EOT answer has bit 1 and bit 4 set, bits 0 and 7 clear; anything else is not one. */
export const isStatusByte = (b: number) => (b & 0x93) === 0x12;

export function readStatus(printer: number, offline: number, paper: number): PrinterReport {
  return {
    offline: (printer & 0x08) !== 0,
    coverOpen: (offline & 0x04) !== 0,
    paperOut: (offline & 0x20) !== 0 || (paper & 0x60) === 0x60,
    paperNearEnd: (paper & 0x0c) === 0x0c,
    error: (offline & 0x40) !== 0,
  };
}
