import { useEffect, useState } from 'react';
import type { MessageKey } from '../i18n';

/** A duration as the staff say it: the largest whole unit, as a message key and count. */
export function ageParts(ms: number): { key: MessageKey; count: number } {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return { key: 'sup.age.seconds', count: s };
  if (s < 3600) return { key: 'sup.age.minutes', count: Math.floor(s / 60) };
  if (s < 86_400) return { key: 'sup.age.hours', count: Math.floor(s / 3600) };
  return { key: 'sup.age.days', count: Math.floor(s / 86_400) };
}

/** The current time, re-rendering every `everyMs`, for ages that must keep counting up. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
