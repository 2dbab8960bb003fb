import { z } from 'zod';
import { ScannerSetting } from './devices';

export const Language = z.enum(['zh-CN', 'en']);
export type Language = z.infer<typeof Language>;

/** The secret store was lost or unreadable at start while the database still needed its keys. */
export const SecretsLost = z.object({
  at: z.number().int(),
  store: z.enum(['ok', 'missing', 'unreadable']),
  /** ID numbers indexed or scanned before no longer match: the voucher file must be imported again. */
  idLookupsLost: z.boolean(),
  /** Queued requests whose sealed ID number cannot be opened, moved to needs attention. */
  setAside: z.number().int().nonnegative(),
});
export type SecretsLost = z.infer<typeof SecretsLost>;

/** A repair of the damaged database file, shown until a supervisor acknowledges it. */
export const DatabaseRecoveryNotice = z.object({
  id: z.number().int().positive(),
  at: z.number().int(),
  /** reindexed and rebuilt lose nothing; salvaged started a new file with every row it could read. */
  outcome: z.enum(['reindexed', 'rebuilt', 'salvaged']),
  /** Where the damaged file is kept for support; null when it was repaired in place. */
  movedTo: z.string().nullable(),
  /** Tables some of whose rows could not be read or carried over. */
  lostTables: z.array(z.string()),
});
export type DatabaseRecoveryNotice = z.infer<typeof DatabaseRecoveryNotice>;

export const AppStatus = z.object({
  /** demo: no Douyin credentials, the embedded sandbox answers; live: the configured platform. */
  mode: z.enum(['demo', 'live']),
  dataDir: z.string(),
  windowName: z.string(),
  language: Language,
  /** The supervisor's default for the answer sounds. */
  sound: z.boolean(),
  queue: z.object({
    queued: z.number().int().nonnegative(),
    needsAttention: z.number().int().nonnegative(),
    /** Unix ms of the oldest item still waiting, for the staff's health line. */
    oldestQueuedAt: z.number().int().nullable(),
  }),
  online: z.boolean(),
  /** Unix ms of the last answer from Douyin (any answer proves reachability). */
  lastContactAt: z.number().int().nullable(),
  /**
   * The damaged database file was moved here and a repaired one took its place; shown (with
   * databaseRecovery) until a supervisor acknowledges it, so they can hand the file to support.
   */
  recoveredFrom: z.string().nullable(),
  /** Shown to staff and supervisor until a supervisor acknowledges it. */
  secretsLost: SecretsLost.nullable(),
  databaseRecovery: DatabaseRecoveryNotice.nullable(),
  /** The integrity check found damage while the app ran: the next start repairs it. */
  databaseDamaged: z.boolean(),
  /** How the staff screen tells a scanner's burst from typing (the supervisor's setting). */
  scanner: ScannerSetting,
  /** Codes the embedded demo order book accepts, so a new colleague has something to type. */
  demoCodes: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      /** A demo coupon's order: its QR (the visitor's short link) can be shown for the webcam. */
      couponOrderId: z.string().optional(),
    }),
  ),
});
export type AppStatus = z.infer<typeof AppStatus>;
