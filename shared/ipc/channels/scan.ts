import { z } from 'zod';
import { ScanAnswer, ScanRecord, ScanSource } from '../../domain/scan';

export const scanChannels = {
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
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;
