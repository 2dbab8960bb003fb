import type { Verdict } from '../../../shared/domain/scan';

// Shapes as well as colours, for staff who cannot tell red from green.
const PATHS: Record<Verdict, string> = {
  verified: 'M14 25 l8 8 l15 -17',
  offline: 'M24 12 v14 l8 6',
  refused: 'M16 16 l16 16 M32 16 l-16 16',
  // Two bars: "already once".
  repeat: 'M19 14 v20 M29 14 v20',
  // A question mark: "how many enter?".
  confirm: 'M18 18 a6 6 0 1 1 8 5.6 c-1.4 .8 -2 1.8 -2 3.4 v2 M24 34 v0.5',
};

export function VerdictIcon({ verdict }: { verdict: Verdict }) {
  return (
    <svg className="answer-icon" viewBox="0 0 48 48" aria-hidden="true">
      <circle cx="24" cy="24" r="21" fill="none" stroke="currentColor" strokeWidth="4" />
      <path d={PATHS[verdict]} fill="none" stroke="currentColor" strokeWidth="5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
