import { useEffect } from 'react';
import { ScanScreen } from './features/scan/ScanScreen';
import { StatusBar } from './features/status/StatusBar';
import { subscribeToMain, useApp } from './stores/app';

export function App() {
  const load = useApp((s) => s.load);
  useEffect(() => {
    void load();
    return subscribeToMain();
  }, [load]);
  return (
    <div className="app">
      <StatusBar />
      <ScanScreen />
    </div>
  );
}
