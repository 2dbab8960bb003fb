import { useEffect } from 'react';
import { CoreRecovery } from './features/recovery/CoreRecovery';
import { AnswerStrip } from './features/result/AnswerStrip';
import { useAnswerSound } from './features/result/useAnswerSound';
import { ScanScreen } from './screens/ScanScreen';
import { ImeNotice } from './features/scan/ImeNotice';
import { useScannerWedge } from './features/scan/useScannerWedge';
import { StatusBar } from './features/status/StatusBar';
import { SupervisorEntry } from './features/supervisor/SupervisorEntry';
import { SupervisorScreen } from './screens/SupervisorScreen';
import { useSupervisor } from './stores/supervisor';
import { subscribeToMain, useApp } from './stores/app';
import { useShift } from './stores/shift';
import { api } from './api';

export function App() {
  const load = useApp((s) => s.load);
  const screen = useSupervisor((s) => s.screen);
  useEffect(() => {
    void load();
    return subscribeToMain();
  }, [load]);
  // Who is at the window, read again whenever the scan screen comes back (supervisor mode may have
  // changed the sign-in policy) and after the core's process restarted.
  useEffect(() => {
    if (screen === 'scan') void useShift.getState().load();
  }, [screen]);
  useEffect(() => api.on('core.state', ({ state }) => state === 'ready' && void useShift.getState().load()), []);
  // Here and not on the scan screen: a burst must never land in a supervisor's field either.
  useScannerWedge();
  useAnswerSound();
  // The scan screen is the default and where supervisor mode always returns to.
  return (
    <div className="app">
      <StatusBar />
      <CoreRecovery />
      <ImeNotice />
      {screen === 'supervisor' ? (
        <>
          <AnswerStrip />
          <SupervisorScreen />
        </>
      ) : (
        <>
          <ScanScreen />
          <SupervisorEntry />
        </>
      )}
    </div>
  );
}
