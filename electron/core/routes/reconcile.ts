import type { demoChannels } from '../../../shared/ipc/channels/demo';
import type { reconcileChannels } from '../../../shared/ipc/channels/reconcile';
import { RouteError } from '../../../shared/ipc/result';
import { businessDate } from '../../../shared/time';
import type { Handlers } from '../dispatch';
import type { Reconciler } from '../reconcile/reconciler';
import type { ReconciliationRepository } from '../reconcile/reconciliation-repository';
import type { Supervisor } from '../supervisor';

type ReconcileRoutes = Pick<Handlers, keyof typeof reconcileChannels | keyof typeof demoChannels>;

export interface ReconcileRouteDeps {
  supervisor: Supervisor;
  reconciler: Reconciler;
  reconciliations: ReconciliationRepository;
  now: () => number;
  demoCouponQr: (orderId: string) => { shortLink: string } | undefined;
}

/** Reconciliation with Douyin's verify records (audited), and demo mode's coupon QR. */
export function createReconcileRoutes(deps: ReconcileRouteDeps): ReconcileRoutes {
  const { supervisor: sup } = deps;
  return {
    'supervisor.reconcile.run': async ({ day }) => {
      const chosen = day ?? businessDate(deps.now());
      const result = await deps.reconciler.run(chosen, 'supervisor', sup.actor());
      sup.audit.record(
        'reconciled',
        `${chosen} POI ${result.poiId}: ${result.state}, ${result.douyinRecords} at Douyin, ` +
          `${result.localCertificates} here, ${result.differences.length} differences`,
      );
      return result;
    },
    'supervisor.reconcile.last': () => deps.reconciliations.last(),
    'demo.couponQr': ({ orderId }) => {
      const qr = deps.demoCouponQr(orderId);
      if (!qr) throw new RouteError('not_found', `no demo coupon order ${orderId}`);
      return qr;
    },
  };
}
