import { z } from 'zod';
import { AppStatus } from '../domain/status';
import { ScanRecord } from '../domain/scan';
import { appChannels } from './channels/app';
import { scanChannels } from './channels/scan';
import { supervisorChannels } from './channels/supervisor';
import { systemChannels } from './channels/system';
import { voucherChannels } from './channels/vouchers';

/**
 * The whole API between the renderer and main, in one map assembled from one file per feature
 * (channels/). Main, preload, the web transport and the renderer all take their types from here,
 * so a channel cannot drift between them.
 */
export const contract = {
  ...appChannels,
  ...scanChannels,
  ...voucherChannels,
  ...supervisorChannels,
  ...systemChannels,
} as const;

/** Pushed from main to the renderer. */
export const events = {
  'status.changed': AppStatus,
  'scan.updated': ScanRecord,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Input<C extends Channel> = z.infer<Contract[C]['input']>;
export type Output<C extends Channel> = z.infer<Contract[C]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

export const channels = Object.keys(contract) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export const isChannel = (name: string): name is Channel => Object.hasOwn(contract, name);
export const isEventName = (name: string): name is EventName => Object.hasOwn(events, name);
