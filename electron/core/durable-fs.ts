import { closeSync, fsyncSync, openSync } from 'node:fs';

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
