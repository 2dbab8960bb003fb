import { create } from 'zustand';
import type { ScanAnswer, ScanRecord, ScanSource } from '../../shared/domain/scan';
import type { AppStatus, Language } from '../../shared/domain/status';
import type { AppError } from '../../shared/ipc/result';
import { api } from '../api';

interface AppState {
  status: AppStatus | null;
  language: Language;
  answer: ScanAnswer | null;
  recent: ScanRecord[];
  busy: boolean;
  error: AppError | null;
  setLanguage(language: Language): void;
  load(): Promise<void>;
  submit(raw: string, source: ScanSource): Promise<void>;
}

const RECENT_LIMIT = 12;
const storedLanguage = (): Language | null => {
  const value = localStorage.getItem('tw.language');
  return value === 'en' || value === 'zh-CN' ? value : null;
};

export const useApp = create<AppState>((set, get) => ({
  status: null,
  language: storedLanguage() ?? 'zh-CN',
  answer: null,
  recent: [],
  busy: false,
  error: null,

  setLanguage(language) {
    localStorage.setItem('tw.language', language);
    document.documentElement.lang = language;
    set({ language });
  },

  async load() {
    const [status, recent] = await Promise.all([
      api.invoke('app.status', {}),
      api.invoke('scan.recent', { limit: RECENT_LIMIT }),
    ]);
    if (status.ok) {
      set({ status: status.value });
      if (!storedLanguage()) get().setLanguage(status.value.language);
    } else set({ error: status.error });
    if (recent.ok) set({ recent: recent.value });
  },

  async submit(raw, source) {
    set({ busy: true, error: null });
    const result = await api.invoke('scan.submit', { raw, source });
    if (result.ok) set({ answer: result.value, busy: false });
    else set({ error: result.error, busy: false });
    const recent = await api.invoke('scan.recent', { limit: RECENT_LIMIT });
    if (recent.ok) set({ recent: recent.value });
  },
}));

/** Main's pushes keep the screen live without polling. */
export function subscribeToMain(): () => void {
  const offStatus = api.on('status.changed', (status) => useApp.setState({ status }));
  const offScan = api.on('scan.updated', (record) =>
    useApp.setState((state) => ({ recent: state.recent.map((r) => (r.id === record.id ? record : r)) })),
  );
  const onOnline = () => void api.invoke('queue.wake', {});
  window.addEventListener('online', onOnline);
  return () => {
    offStatus();
    offScan();
    window.removeEventListener('online', onOnline);
  };
}
