import type { MessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';

export interface Figure {
  label: MessageKey;
  value: string | number;
  /** data-testid of the value: `fig-<id>`. */
  id: string;
}

/** The headline numbers of a report, as large label/value pairs a supervisor takes in at a glance. */
export function FigureList({ figures }: { figures: readonly Figure[] }) {
  const t = useT();
  return (
    <dl className="sup-figures">
      {figures.map((f) => (
        <div key={f.id}>
          <dt>{t(f.label)}</dt>
          <dd data-testid={`fig-${f.id}`}>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}
