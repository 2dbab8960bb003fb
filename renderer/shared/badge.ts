/**
 * While a sign-in form is on screen, a burst from the keyboard wedge is a badge (the 工号), not a
 * ticket: the form that asked takes it. Forms stack (the supervisor's sign-in opened over the
 * shift's): the newest takes the badge, and when it closes the one below takes them again.
 */
const takers: ((code: string) => void)[] = [];

/** Registers the form on screen as the taker; the returned function gives it up again. */
export function takeBadges(handler: (code: string) => void): () => void {
  takers.push(handler);
  return () => {
    const at = takers.lastIndexOf(handler);
    if (at >= 0) takers.splice(at, 1);
  };
}

/** Hands a wedge burst to the sign-in form on screen; false when none is, and it is a scan. */
export function offerBadge(code: string): boolean {
  const taker = takers.at(-1);
  if (!taker) return false;
  taker(code);
  return true;
}
