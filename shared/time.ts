/** Scenic spots run on Beijing time whatever the kiosk's own time zone is set to. */
const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

const dateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** YYYY-MM-DD of a unix-ms instant in Beijing time. */
export function businessDate(ms: number): string {
  return dateFormat.format(new Date(ms));
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** "YYYY-MM-DD HH:MM:SS" of a unix-ms instant in Beijing time (UTC+8 all year: China has no DST). */
export function businessDateTime(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
