/** Fen to yuan exactly: integer arithmetic, never a float's 0.1 + 0.2 (negative amounts keep their sign). */
export function yuan(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
