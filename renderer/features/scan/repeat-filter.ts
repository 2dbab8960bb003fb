/**
 * A scanner gun (or the camera) sometimes reads one code twice in a row, well inside this gap;
 * a person handing a ticket back over the counter and scanning it again takes longer. Inside the
 * gap the second read is dropped silently, so one scan never shows the "just scanned" screen.
 * A constant, not a setting: it is a property of the devices, not of a site's policy.
 */
const DOUBLE_READ_MS = 1500;

/**
 * True when `text` is a device's double read of the code it sent just before. Unlike the
 * camera's quiet-time filter, the gap is measured from the previous read that went through.
 */
export function createDoubleReadFilter(gapMs = DOUBLE_READ_MS): (text: string, now: number) => boolean {
  let last: { text: string; at: number } | undefined;
  return (text, now) => {
    const double = last !== undefined && last.text === text && now - last.at < gapMs;
    if (!double) last = { text, at: now };
    return double;
  };
}

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
