import { HubStatus, HubUrl } from '../../domain/hub';
import { pairingCodeSchema } from '../../hub/protocol';
import { supervisorOnly, type ChannelSpec } from './common';

/** The site hub (issue 17): the supervisor pairs this window, watches it, or unpairs it. */
export const hubChannels = {
  'hub.status': supervisorOnly({}, HubStatus),
  // The code is the only proof: the window's own credential comes back from the hub and is sealed.
  'hub.pair': supervisorOnly({ url: HubUrl, code: pairingCodeSchema }, HubStatus),
  'hub.unpair': supervisorOnly({}, HubStatus),
} satisfies Record<string, ChannelSpec>;
