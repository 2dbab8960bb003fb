import { z } from 'zod';
import { AppStatus } from '../domain/status';
import { IdReaderStatus } from '../domain/devices';
import { ScanAnswer, ScanRecord } from '../domain/scan';
import { appChannels } from './channels/app';
import { databaseChannels } from './channels/database';
import { operatorChannels } from './channels/operators';
import { shiftChannels } from './channels/shifts';
import { deviceChannels } from './channels/devices';
import { printerChannels } from './channels/printer';
import { PrinterStatus } from '../domain/printer';
import { hubChannels } from './channels/hub';
import { scanChannels } from './channels/scan';
import { supervisorChannels } from './channels/supervisor';
import { systemChannels } from './channels/system';
import { DEFAULT_BODY_BYTES } from './channels/common';
import { voucherChannels } from './channels/vouchers';
import { reconcileChannels } from './channels/reconcile';
import { demoChannels } from './channels/demo';

/**
 * The whole API between the renderer and main, in one map assembled from one file per feature
 * (channels/). Main, preload, the web transport and the renderer all take their types from here,
 * so a channel cannot drift between them. Each channel also says who may call it (`auth`,
 * enforced by the core's dispatch) and, where it is not the default, how big a call may be.
 */
export const contract = {
  ...appChannels,
  ...scanChannels,
  ...voucherChannels,
  ...supervisorChannels,
  ...systemChannels,
  ...databaseChannels,
  ...operatorChannels,
  ...shiftChannels,
  ...deviceChannels,
  ...reconcileChannels,
  ...demoChannels,
  ...printerChannels,
  ...hubChannels,
} as const;

/** Pushed from main to the renderer. */
const events = {
  'status.changed': AppStatus,
  'scan.updated': ScanRecord,
  /** The core's process (issue 12): restarting after a crash, back (read your state again), or given up. */
  'core.state': z.object({ state: z.enum(['recovering', 'ready', 'failed']) }),
  /** The ID-card reader's live status changed (devices). */
  'idReader.status': IdReaderStatus,
  /** A card read by the reader (not typed into the window) was scanned: its answer. */
  'device.scanned': ScanAnswer,
  /** The receipt printer's status changed (ready, offline, paper out, slips waiting). */
  'printer.status': PrinterStatus,
} as const;

type Contract = typeof contract;
export type Channel = keyof Contract;
export type Input<C extends Channel> = z.infer<Contract[C]['input']>;
export type Output<C extends Channel> = z.infer<Contract[C]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

export const channels = Object.keys(contract) as Channel[];

export const isChannel = (name: string): name is Channel => Object.hasOwn(contract, name);
/**
 * The most bytes a transport may read for a call on this channel, or undefined for a name that
 * is no channel (own keys only: `constructor` or `__proto__` must not find Object's).
 */
export function bodyLimitOf(name: string): number | undefined {
  if (!isChannel(name)) return undefined;
  const spec: { maxBodyBytes?: number } = contract[name];
  return spec.maxBodyBytes ?? DEFAULT_BODY_BYTES;
}

export const isEventName = (name: string): name is EventName => Object.hasOwn(events, name);
