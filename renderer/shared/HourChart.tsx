import { useT } from '../i18n/useT';
import './hour-chart.css';

const WIDTH = 760;
const HEIGHT = 250;
const LEFT = 44;
const RIGHT = 8;
const TOP = 26;
const BOTTOM = 26;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const SLOT = PLOT_W / 24;
const BAR_COLOUR = '#3b82f6';
const PEAK_COLOUR = '#f59e0b';

/** The smallest 1, 2 or 5 × 10^n at or above `n`, so the axis reads in round numbers. */
function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].map((m) => m * power).find((step) => step >= n) ?? 10 * power) as number;
}

/**
 * Entries per Beijing hour as plain SVG bars, the peak hour in amber with its count. Plain SVG
 * prints as it is into the PDF (printToPDF or the browser's print) and carries its numbers in
 * data attributes (`data-hour`, `data-entries`, `data-peak`), which is what the e2e test reads.
 * Colours are attributes, not CSS, so the print keeps them. The day view and the shift report
 * (on the supervisor's screen and at a handover) draw it.
 */
export function HourChart({ entriesByHour, peakHour }: { entriesByHour: readonly number[]; peakHour: number | null }) {
  const t = useT();
  const total = entriesByHour.reduce((sum, n) => sum + n, 0);
  const top = niceCeiling(Math.max(0, ...entriesByHour));
  const y = (n: number) => TOP + PLOT_H - (n / top) * PLOT_H;
  const peak =
    peakHour === null
      ? t('sup.day.noPeak')
      : t('sup.day.peak', { hour: String(peakHour).padStart(2, '0'), count: entriesByHour[peakHour] ?? 0 });
  return (
    <figure className="hour-chart">
      <figcaption>
        {t('sup.day.chartTitle')} · <span data-testid="hour-chart-peak">{peak}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={t('sup.day.chartLabel', { total, peak })}
        data-testid="hour-chart"
        data-total={total}
        data-peak-hour={peakHour ?? ''}
        fontSize="12"
      >
        {[0, top / 2, top].map((tick) => (
          <g key={tick}>
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(tick)} y2={y(tick)} stroke="#64748b" strokeWidth="0.5" />
            <text x={LEFT - 6} y={y(tick) + 4} textAnchor="end" fill="currentColor">
              {Number.isInteger(tick) ? tick : tick.toFixed(1)}
            </text>
          </g>
        ))}
        {entriesByHour.map((n, hour) => {
          const isPeak = hour === peakHour;
          const x = LEFT + hour * SLOT;
          return (
            <g key={hour}>
              <rect
                x={x + SLOT * 0.15}
                y={y(n)}
                width={SLOT * 0.7}
                height={TOP + PLOT_H - y(n)}
                fill={isPeak ? PEAK_COLOUR : BAR_COLOUR}
                data-hour={hour}
                data-entries={n}
                data-peak={isPeak}
              >
                <title>{`${String(hour).padStart(2, '0')}:00 · ${n}`}</title>
              </rect>
              {n > 0 && (
                <text x={x + SLOT / 2} y={y(n) - 4} textAnchor="middle" fill="currentColor" fontSize="11">
                  {isPeak ? `${t('sup.day.peakMark')} ${n}` : n}
                </text>
              )}
              <text x={x + SLOT / 2} y={HEIGHT - 8} textAnchor="middle" fill="currentColor" fontSize="11">
                {hour}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
