import { create } from 'zustand';

/**
 * The scanner's keys came through the Chinese input method and could not be read back: the
 * staff must switch the IME to English. Cleared by the next burst that reads.
 */
export const useScannerNotice = create<{ imeUnreadableAt: number | null }>(() => ({ imeUnreadableAt: null }));

export const showImeUnreadable = () => useScannerNotice.setState({ imeUnreadableAt: Date.now() });
export const clearScannerNotice = () => {
  if (useScannerNotice.getState().imeUnreadableAt !== null) useScannerNotice.setState({ imeUnreadableAt: null });
};
