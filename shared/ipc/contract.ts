import { z } from 'zod';
import { AppStatus } from '../domain/status';
import { ScanAnswer, ScanRecord, ScanSource } from '../domain/scan';

/**
 * The whole API between the renderer and main, in one map. Main, preload, the web transport and
 * the renderer all take their types from here, so a channel cannot drift between them.
 * Inputs are strict: an unexpected key is a bug or an attack, never something to ignore.
 */
const none = z.object({}).strict();

export const contract = {
  'app.status': { input: none, output: AppStatus },
  'scan.submit': {
    input: z
      .object({
        // Generous over the parser's own limit so an over-long scan gets the parser's clear message.
        raw: z.string().max(4096),
        source: ScanSource,
      })
      .strict(),
    output: ScanAnswer,
  },
  'scan.recent': {
    input: z.object({ limit: z.number().int().min(1).max(200) }).strict(),
    output: z.array(ScanRecord),
  },
} as const;

/** Pushed from main to the renderer; the payload is validated by the sender's types only. */
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
