import type { hubChannels } from '../../../shared/ipc/channels/hub';
import type { Handlers } from '../dispatch';
import type { HubLink } from '../hub/link';
import type { Supervisor } from '../supervisor';

type HubRoutes = Pick<Handlers, keyof typeof hubChannels>;

export function createHubRoutes(deps: { supervisor: Supervisor; hub: HubLink }): HubRoutes {
  return {
    'hub.status': () => deps.hub.status(),
    'hub.pair': async ({ url, code }) => {
      const status = await deps.hub.pair(url, code);
      // The address and the window id the hub gave, never the code or the secret.
      deps.supervisor.audit.record('hub_paired', status.paired ? `${status.url} ${status.windowId}` : url);
      return status;
    },
    'hub.unpair': async () => {
      const before = deps.hub.status();
      const status = await deps.hub.unpair();
      deps.supervisor.audit.record('hub_unpaired', before.paired ? `${before.url} ${before.windowId}` : '');
      return status;
    },
  };
}
