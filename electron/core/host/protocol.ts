import { z } from 'zod';
import { isEventName } from '../../../shared/ipc/contract';
import { AppError } from '../../../shared/ipc/result';
import { updateReportSchema } from '../../../shared/updates/rollout';

/**
 * The messages between Electron's main and the core's own process (utilityProcess in the app, a
 * plain `child_process.fork` in the tests). Both sides parse what they receive: a process
 * boundary is a trust boundary too, and a bad message must be refused, not half-understood.
 * Bytes travel as base64 because fork's JSON channel and utilityProcess's structured clone
 * carry a Buffer differently.
 */

const Id = z.number().int().nonnegative();

const AnyResult = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppError }),
]);

/** What main needs of the settings: kiosk and start-at-login are main's to apply. */
export const DesktopSettings = z.object({ kiosk: z.boolean(), autoStart: z.boolean() });
export type DesktopSettings = z.infer<typeof DesktopSettings>;

/** The OS actions the core asks main for (the Desktop port): answered true when done. */
export const DesktopAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('savePdf'), path: z.string().min(1) }),
  z.object({ action: z.literal('openPath'), path: z.string().min(1) }),
  /** A slip's page is small (text and one SVG); the bound keeps a bad one from being relayed. */
  z.object({ action: z.literal('printSlip'), printerName: z.string().min(1).max(200), html: z.string().min(1).max(262_144) }),
]);
export type DesktopAction = z.infer<typeof DesktopAction>;

/**
 * Main's own questions to the core for its updater, never a renderer channel: what it needs to
 * decide (see electron/main/update-policy.ts) and to read the hub's feed, and the reports to pass
 * on. Main gets a short-lived feed token, never the hub secret nor anything of Douyin's.
 */
export const UpdateRequest = z.discriminatedUnion('op', [
  z.object({ op: z.literal('facts') }),
  z.object({ op: z.literal('report'), report: updateReportSchema }),
]);
export type UpdateRequest = z.infer<typeof UpdateRequest>;

export const UpdateFacts = z.object({
  /** The paired hub's release feed for this window and its Authorization header; null: not paired. */
  feed: z.object({ url: z.url(), authorization: z.string().min(1) }).nullable(),
  /** Someone is signed in: a shift is open. */
  shiftOpen: z.boolean(),
  /** Verifies still queued for Douyin, and history and claims still to send to the hub. */
  unsynced: z.number().int().nonnegative(),
});
export type UpdateFacts = z.infer<typeof UpdateFacts>;

const CodecRequest = z.object({ op: z.enum(['encrypt', 'decrypt']), data: z.string() });
export type CodecRequest = z.infer<typeof CodecRequest>;

/** Main → core. */
export const ToCore = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: Id, channel: z.string().max(200), input: z.unknown() }),
  z.object({ type: z.literal('close') }),
  /** Answered by a `result` with the same id, as a call is. */
  z.object({ type: z.literal('update'), id: Id, request: UpdateRequest }),
  /** The answer to one of the core's own requests (codec, desktop): `value` or `error`. */
  z.object({ type: z.literal('answer'), id: Id, value: z.unknown().optional(), error: z.string().optional() }),
]);
export type ToCore = z.infer<typeof ToCore>;

/** Core → main. */
export const FromCore = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), settings: DesktopSettings }),
  z.object({ type: z.literal('result'), id: Id, result: AnyResult }),
  z.object({ type: z.literal('event'), event: z.string().refine(isEventName, 'not an event'), payload: z.unknown() }),
  z.object({ type: z.literal('settings'), settings: DesktopSettings }),
  z.object({ type: z.literal('codec'), id: Id, request: CodecRequest }),
  z.object({ type: z.literal('desktop'), id: Id, request: DesktopAction }),
  /** The core could not start (the message says why); the process exits after it. */
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({ type: z.literal('closed') }),
]);
export type FromCore = z.infer<typeof FromCore>;
