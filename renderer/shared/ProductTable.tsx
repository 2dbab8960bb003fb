import type { ShiftReport } from '../../shared/domain/supervisor';
import { yuan } from '../../shared/domain/money';
import { useT } from '../i18n/useT';

/**
 * A shift's figures by product: scans, verified, still pending, people let in and coupon takings.
 * The supervisor's shift report and the handover's figures at the window show the same table.
 */
export function ProductTable({ rows, className }: { rows: ShiftReport['byProject']; className: string }) {
  const t = useT();
  return (
    <table className={className} data-testid="shift-products">
      <thead>
        <tr>
          <th>{t('sup.col.project')}</th>
          <th>{t('sup.shift.total')}</th>
          <th>{t('sup.outcome.verified')}</th>
          <th>{t('sup.outcome.pending')}</th>
          <th>{t('sup.col.people')}</th>
          <th>{t('sup.col.amount')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr key={p.project}>
            <td>{p.project || t('sup.shift.noProject')}</td>
            <td>{p.total}</td>
            <td>{p.verified}</td>
            <td>{p.pending}</td>
            <td>{p.people}</td>
            <td>{yuan(p.amountFen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
