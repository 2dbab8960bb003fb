import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Makes a rename (or a new file) in `dir` survive a power cut: the folder's entry is on disk
 * only once the folder itself is fsynced. Windows cannot open a folder for fsync (EPERM/EISDIR);
 * NTFS journals the rename itself.
 */
export function syncFolder(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `file` so that after a power cut it is the old file or the new one, whole: write a
 * temporary file, fsync it, rename it over, fsync the folder. Without the fsyncs the rename can
 * reach the disk before the data does.
 */
export function writeFileDurably(file: string, data: Buffer, mode = 0o600): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  syncFolder(dirname(file));
}
