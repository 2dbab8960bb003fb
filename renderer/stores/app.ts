import { create } from 'zustand';
import type { ScanAnswer, ScanRecord, ScanSource } from '../../shared/domain/scan';
import type { IdReaderStatus } from '../../shared/domain/devices';
import type { AppStatus, Language } from '../../shared/domain/status';
import type { AppError, Result } from '../../shared/ipc/result';
import { api } from '../api';

/** A count step: a prepared coupon's, or (Douyin away, offline coupons admitted) the recorded scan's. */
export type CouponTarget = { prepareId: number } | { scanId: number };

interface AppState {
  status: AppStatus | null;
  /** The ID-card reader's live status (connected, card, last read, last error). */
  reader: IdReaderStatus | null;
  language: Language;
  answer: ScanAnswer | null;
  /** Counts answers, so the screen can flash a new one that looks the same as the last. */
  answerSeq: number;
  recent: ScanRecord[];
  /** Scans submitted and not answered yet. */
  pending: number;
  error: AppError | null;
  sound: boolean;
  setLanguage(language: Language): void;
  setSound(on: boolean): void;
  load(): Promise<void>;
  submit(raw: string, source: ScanSource): Promise<void>;
  /** The staff's count for a coupon awaiting it; cancel records that nobody entered. */
  confirmCoupon(target: CouponTarget, count: number): Promise<void>;
  cancelCoupon(target: CouponTarget): Promise<void>;
  /** The recent list again (its owner changed: someone signed in), or cleared (nobody is at work). */
  refreshRecent(clear?: boolean): Promise<void>;
  /** A card the core read from the ID reader itself was answered: show it like any scan. */
  showDeviceAnswer(answer: ScanAnswer): Promise<void>;
}

const RECENT_LIMIT = 12;

/**
 * Runs work once the next frame has been made (a task posted from its callbacks), or after 500 ms
 * where no frame comes (a hidden window draws none).
 */
function afterNextFrame(work: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    work();
  };
  requestAnimationFrame(() => setTimeout(once));
  setTimeout(once, 500);
}
const storedLanguage = (): Language | null => {
  const value = localStorage.getItem('tw.language');
  return value === 'en' || value === 'zh-CN' ? value : null;
};

// Scans go to the core one at a time, in the order they were made: two quick scans then always
// show the second one's answer last.
let inFlight: Promise<void> = Promise.resolve();

export const useApp = create<AppState>((set, get) => {
  /** One call that ends in an answer on screen, queued behind the others in order. */
  const answerWith = (call: () => Promise<Result<ScanAnswer>>): Promise<void> => {
    const run = async () => {
      const result = await call();
      if (result.ok) {
        set((s) => ({ answer: result.value, answerSeq: s.answerSeq + 1, error: null, pending: s.pending - 1 }));
      } else set((s) => ({ error: result.error, pending: s.pending - 1 }));
      // The list is behind the answer on purpose: asked for once the answer's frame is made, so
      // neither its request nor its render comes between the answer and the screen.
      afterNextFrame(() => void get().refreshRecent());
    };
    inFlight = inFlight.then(run, run);
    // After the request is on its way (run starts it in the microtask queued just above): the
    // "working" render then happens while the core works, not before the request leaves.
    set((s) => ({ pending: s.pending + 1 }));
    return inFlight;
  };
  return {
    status: null,
    reader: null,
    language: storedLanguage() ?? 'zh-CN',
    answer: null,
    answerSeq: 0,
    recent: [],
    pending: 0,
    error: null,
    sound: localStorage.getItem('tw.sound') !== 'off',

    setLanguage(language) {
      localStorage.setItem('tw.language', language);
      document.documentElement.lang = language;
      set({ language });
    },

    setSound(on) {
      localStorage.setItem('tw.sound', on ? 'on' : 'off');
      set({ sound: on });
    },

    async load() {
      const [status, recent, devices] = await Promise.all([
        api.invoke('app.status', {}),
        api.invoke('scan.recent', { limit: RECENT_LIMIT }),
        api.invoke('devices.status', {}),
      ]);
      if (devices.ok) set({ reader: devices.value.idReader });
      if (status.ok) {
        set({ status: status.value });
        if (!storedLanguage()) get().setLanguage(status.value.language);
        // The supervisor's setting is the default; the staff's own toggle on this screen wins.
        if (localStorage.getItem('tw.sound') === null) set({ sound: status.value.sound });
      } else set({ error: status.error });
      if (recent.ok) set({ recent: recent.value });
    },

    submit(raw, source) {
      return answerWith(() => api.invoke('scan.submit', { raw, source }));
    },

    confirmCoupon(target, count) {
      return answerWith(() => api.invoke('scan.confirmCoupon', { ...target, count }));
    },

    cancelCoupon(target) {
      return answerWith(() => api.invoke('scan.cancelCoupon', target));
    },

    async refreshRecent(clear = false) {
      // The next operator sees neither the last answer nor the scans of the one before.
      if (clear) return set({ recent: [], answer: null, error: null });
      const recent = await api.invoke('scan.recent', { limit: RECENT_LIMIT });
      if (recent.ok) set({ recent: recent.value });
    },

    showDeviceAnswer(answer) {
      return answerWith(() => Promise.resolve({ ok: true as const, value: answer }));
    },
  };
});

/** Main's pushes keep the screen live without polling. */
export function subscribeToMain(): () => void {
  const offStatus = api.on('status.changed', (status) => useApp.setState({ status }));
  // A scan not in the list (the one just answered, before the list is read again) changes nothing:
  // a new array would re-render the list in the answer's frame.
  const offScan = api.on('scan.updated', (record) =>
    useApp.setState((state) =>
      state.recent.some((r) => r.id === record.id)
        ? { recent: state.recent.map((r) => (r.id === record.id ? record : r)) }
        : state,
    ),
  );
  const offReader = api.on('idReader.status', (reader) => useApp.setState({ reader }));
  const offDevice = api.on('device.scanned', (answer) => void useApp.getState().showDeviceAnswer(answer));
  const onOnline = () => void api.invoke('queue.wake', {});
  window.addEventListener('online', onOnline);
  return () => {
    offStatus();
    offScan();
    offReader();
    offDevice();
    window.removeEventListener('online', onOnline);
  };
}
