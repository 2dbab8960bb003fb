/**
 * A camera decodes the same code many times a second while a ticket is held up. A code counts
 * again only once it has been out of sight for `quietMs`: holding a ticket in view for a minute
 * makes one scan, not one every few seconds. Pure: the caller passes the clock.
 */
export function createRepeatFilter(quietMs: number): (text: string, now: number) => boolean {
  let last: { text: string; seenAt: number } | undefined;
  return (text, now) => {
    const fresh = !last || last.text !== text || now - last.seenAt > quietMs;
    last = { text, seenAt: now };
    return fresh;
  };
}
