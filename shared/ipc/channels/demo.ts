import { z } from 'zod';
import { staff, type ChannelSpec } from './common';

export const demoChannels = {
  /**
   * Demo mode only: the short link a demo coupon's QR decodes to right now (the embedded
   * sandbox's; it changes after a verify), for a new colleague to show to the webcam.
   */
  'demo.couponQr': staff(z.object({ orderId: z.string().regex(/^\d{19}$/) }).strict(), z.object({ shortLink: z.string().url() })),
} satisfies Record<string, ChannelSpec>;
