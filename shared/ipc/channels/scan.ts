import { z } from 'zod';
import { ScanAnswer, ScanRecord, ScanSource } from '../../domain/scan';
import { operator, type ChannelSpec } from './common';

const id = z.number().int().positive();

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
  /**
   * The staff's count for a coupon awaiting it: a prepared one (Enter = all, 1–9 = that many) or,
   * Douyin unreachable and offline coupons admitted, the recorded scan (digits, then Enter).
   */
  'scan.confirmCoupon': operator(
    z.union([
      z.object({ prepareId: id, count: z.number().int().min(1).max(99) }).strict(),
      z.object({ scanId: id, count: z.number().int().min(1).max(99) }).strict(),
    ]),
    ScanAnswer,
  ),
  /** Esc at the count step: recorded as cancelled, nothing verified, nobody admitted. */
  'scan.cancelCoupon': operator(z.union([z.object({ prepareId: id }).strict(), z.object({ scanId: id }).strict()]), ScanAnswer),
  /** The operator's own scans while someone is signed in; the window's without sign-in. */
  'scan.recent': operator(z.object({ limit: z.number().int().min(1).max(200) }).strict(), z.array(ScanRecord)),
} satisfies Record<string, ChannelSpec>;
