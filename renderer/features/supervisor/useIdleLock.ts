import { useEffect } from 'react';
import { supervisorCall, useSupervisor } from '../../stores/supervisor';

const TOUCH_EVERY_MS = 30_000;
const EVENTS = ['pointerdown', 'keydown', 'wheel', 'pointermove'] as const;

/**
 * Supervisor mode ends after the session's idle time without a touch, key or click: the window
 * returns to the scan screen on its own. Activity also keeps main's session alive, since reading
 * a long history page makes no calls.
 */
export function useIdleLock(): void {
  const idleMs = useSupervisor((s) => s.grant?.idleMs ?? 0);
  useEffect(() => {
    if (idleMs === 0) return;
    let lastActive = Date.now();
    let lastTouch = Date.now();
    const onActivity = () => {
      lastActive = Date.now();
      if (lastActive - lastTouch > TOUCH_EVERY_MS) {
        lastTouch = lastActive;
        void supervisorCall('supervisor.touch', {});
      }
    };
    const timer = setInterval(() => {
      if (Date.now() - lastActive < idleMs) return;
      void supervisorCall('supervisor.lock', {});
      useSupervisor.getState().leave({ code: 'unauthorized', message: 'idle', detail: 'sup.error.sessionExpired' });
    }, 1000);
    for (const name of EVENTS) window.addEventListener(name, onActivity, { passive: true });
    return () => {
      clearInterval(timer);
      for (const name of EVENTS) window.removeEventListener(name, onActivity);
    };
  }, [idleMs]);
}
