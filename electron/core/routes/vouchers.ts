import type { voucherChannels } from '../../../shared/ipc/channels/vouchers';
import type { ImportReport } from '../../../shared/domain/vouchers';
import { RouteError } from '../../../shared/ipc/result';
import type { Handlers } from '../dispatch';
import type { SettingsStore } from '../settings/store';
import type { Supervisor } from '../supervisor';
import { fetchVoucherFeed } from '../vouchers/feed';
import type { VoucherImporter } from '../vouchers/importer';
import type { VoucherIndexRepository } from '../vouchers/index-repository';

type VoucherRoutes = Pick<Handlers, keyof typeof voucherChannels>;

/** Loading the voucher index is a supervisor action, audited like the others. */
export function createVoucherRoutes(deps: {
  supervisor: Supervisor;
  settings: SettingsStore;
  importer: VoucherImporter;
  index: VoucherIndexRepository;
}): VoucherRoutes {
  const audited = (source: string, report: ImportReport): ImportReport => {
    deps.supervisor.audit.record(
      'vouchers_imported',
      report.ok
        ? `${source}: ${report.orders} orders, ${report.changed} changed`
        : `${source}: refused, ${report.totalErrors} bad lines`,
    );
    return report;
  };
  return {
    'vouchers.import': ({ text }) => audited('file', deps.importer.importText(text)),
    'vouchers.pull': async () => {
      const url = deps.settings.get().voucherFeedUrl;
      if (!url) throw new RouteError('not_found', 'no voucher feed URL configured', 'error.feed_not_configured');
      return audited('feed', deps.importer.importText(await fetchVoucherFeed(url)));
    },
    'vouchers.summary': () => ({ orders: deps.index.orderCount() }),
  };
}
