import { z } from 'zod';
import { ScanAnswer, ScanRecord, ScanSource } from '../../domain/scan';
import { operator, type ChannelSpec } from './common';

/** Scanning is the operator's work: refused during a break, and before sign-in where it is required. */
export const scanChannels = {
  'scan.submit': operator(
    z
      .object({
        // Generous over the parser's own limit so an over-long scan gets the parser's clear message.
        raw: z.string().max(4096),
        source: ScanSource,
      })
      .strict(),
    ScanAnswer,
  ),
  /** The staff's count for a coupon awaiting confirmation (Enter = all, 1–9 = that many). */
  'scan.confirmCoupon': operator(
    z.object({ prepareId: z.number().int().positive(), count: z.number().int().min(1).max(99) }).strict(),
    ScanAnswer,
  ),
  /** Esc at the confirm step: recorded as cancelled, nothing verified. */
  'scan.cancelCoupon': operator(z.object({ prepareId: z.number().int().positive() }).strict(), ScanAnswer),
  /** The operator's own scans while someone is signed in; the window's without sign-in. */
  'scan.recent': operator(z.object({ limit: z.number().int().min(1).max(200) }).strict(), z.array(ScanRecord)),
} satisfies Record<string, ChannelSpec>;
