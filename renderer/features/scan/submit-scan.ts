import type { ScanSource } from '../../../shared/domain/scan';
import { offerBadge } from '../../shared/badge';
import { useApp } from '../../stores/app';
import { createDoubleReadFilter } from './repeat-filter';

/** One guard for the wedge and the camera: a double read from either is dropped. */
const isDoubleRead = createDoubleReadFilter();

/** Every scan of this screen goes through here; typed entries are deliberate, only devices read twice. */
export function submitScan(raw: string, source: ScanSource): void {
  // A sign-in form on screen: the burst was a badge, typed into its 工号 field.
  if (source === 'scanner' && offerBadge(raw.trim())) return;
  if (source !== 'keyboard' && isDoubleRead(raw.trim(), performance.now())) return;
  void useApp.getState().submit(raw, source);
}
