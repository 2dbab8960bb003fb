/**
 * While a sign-in form is on screen, a burst from the keyboard wedge is a badge (the 工号), not a
 * ticket: the form that asked takes it. One taker at a time, the form on screen.
 */
let taker: ((code: string) => void) | null = null;

/** Registers the form on screen as the taker; the returned function gives it up again. */
export function takeBadges(handler: (code: string) => void): () => void {
  taker = handler;
  return () => {
    if (taker === handler) taker = null;
  };
}

/** Hands a wedge burst to the sign-in form on screen; false when none is, and it is a scan. */
export function offerBadge(code: string): boolean {
  if (!taker) return false;
  taker(code);
  return true;
}
