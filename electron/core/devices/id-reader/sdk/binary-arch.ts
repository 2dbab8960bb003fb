import { closeSync, openSync, readSync } from 'node:fs';

/** Processor widths as Node names them (process.arch). */
export type BinaryArch = 'ia32' | 'x64' | 'arm64' | 'arm' | 'other';

// IMAGE_FILE_MACHINE_* of the PE/COFF header and e_machine of the ELF header.
const PE_MACHINES: Record<number, BinaryArch> = { 0x014c: 'ia32', 0x8664: 'x64', 0xaa64: 'arm64', 0x01c4: 'arm' };
const ELF_MACHINES: Record<number, BinaryArch> = { 0x03: 'ia32', 0x3e: 'x64', 0xb7: 'arm64', 0x28: 'arm' };

const HEADER_BYTES = 4096;

/**
 * The processor a DLL (PE) or shared object (ELF) was built for, from its header, or null when
 * the file is neither. Read before loading: Windows refuses a 32-bit DLL in a 64-bit process
 * with "%1 is not a valid Win32 application", which tells the staff nothing.
 */
export function binaryArchOf(header: Buffer): BinaryArch | null {
  if (header.length >= 0x40 && header.toString('latin1', 0, 2) === 'MZ') {
    const pe = header.readUInt32LE(0x3c);
    if (pe + 6 > header.length || header.toString('latin1', pe, pe + 4) !== 'PE\0\0') return null;
    return PE_MACHINES[header.readUInt16LE(pe + 4)] ?? 'other';
  }
  if (header.length >= 20 && header.toString('latin1', 0, 4) === '\x7fELF') {
    const littleEndian = header[5] !== 2;
    const machine = littleEndian ? header.readUInt16LE(18) : header.readUInt16BE(18);
    return ELF_MACHINES[machine] ?? 'other';
  }
  return null;
}

export function readBinaryArch(path: string): BinaryArch | null {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const length = readSync(fd, header, 0, HEADER_BYTES, 0);
    return binaryArchOf(header.subarray(0, length));
  } finally {
    closeSync(fd);
  }
}

const WIDTH_NAMES: Record<BinaryArch, string> = {
  ia32: '32-bit x86',
  x64: '64-bit x64',
  arm64: '64-bit ARM',
  arm: '32-bit ARM',
  other: 'another processor',
};
export const widthName = (arch: BinaryArch): string => WIDTH_NAMES[arch];
