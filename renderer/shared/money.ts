/** Fen to yuan exactly: integer arithmetic, never a float's 0.1 + 0.2. */
export function yuan(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
