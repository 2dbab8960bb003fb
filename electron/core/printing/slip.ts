import type { Language } from '../../../shared/domain/status';
import { businessDateTime } from '../../../shared/time';

/** What one slip (小票) says; read from the scan when it is printed, so a late verify id is on it. */
export interface Slip {
  spotName: string;
  windowName: string;
  product: string | null;
  people: number | null;
  /** Unix ms of the scan. */
  at: number;
  operatorNo: string;
  orderId: string | null;
  /** Douyin's verify ids; empty while a ticket accepted offline waits for its sync. */
  verifyIds: readonly string[];
  kind: 'auto' | 'manual' | 'test';
  language: Language;
}

/** An 80 mm roll prints 48 columns of Font A (12 × 24 dots on 576 dots); a Chinese character takes two. */
export const SLIP_COLUMNS = 48;

export type SlipBlock =
  | { kind: 'text'; text: string; align: 'left' | 'center'; big?: boolean; bold?: boolean }
  | { kind: 'rule' }
  | { kind: 'qr'; data: string };

const LABELS = {
  'zh-CN': {
    product: '产品',
    people: '人数',
    time: '时间',
    beijing: '（北京时间）',
    operator: '工号',
    order: '订单号',
    verifyId: '核销号',
    pending: '待同步（离线受理，联网后核销）',
    reprint: '补打小票',
    test: '测试小票：打印机工作正常',
    footer: '凭此小票入园，请妥善保管',
    title: '票务核销台',
  },
  en: {
    product: 'Product',
    people: 'People',
    time: 'Time',
    beijing: ' (Beijing)',
    operator: 'Operator',
    order: 'Order',
    verifyId: 'Verify ID',
    pending: 'pending sync (accepted offline)',
    reprint: 'REPRINT',
    test: 'TEST SLIP: the printer works',
    footer: 'Keep this slip for entry',
    title: 'Ticket Window',
  },
} as const satisfies Record<Language, Record<string, string>>;

/** Columns a character takes on the printer: East Asian wide and full-width forms take two. */
function columnsOf(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    cp >= 0x20000;
  return wide ? 2 : 1;
}

function widthOf(text: string): number {
  let width = 0;
  for (const char of text) width += columnsOf(char);
  return width;
}

/** Splits text into lines of at most `columns`, by character (ids and Chinese have no spaces to break at). */
function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const char of text) {
    const w = columnsOf(char);
    if (width + w > columns && line) {
      lines.push(line);
      line = '';
      width = 0;
    }
    line += char;
    width += w;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** "label：value", continued under the value when it does not fit. */
function field(label: string, value: string, language: Language): SlipBlock[] {
  const head = language === 'zh-CN' ? `${label}：` : `${label}: `;
  const indent = widthOf(head);
  return wrap(value, SLIP_COLUMNS - indent).map((part, i) => ({
    kind: 'text' as const,
    text: (i === 0 ? head : ' '.repeat(indent)) + part,
    align: 'left' as const,
  }));
}

/**
 * The slip, top to bottom, for either printer: the spot and window, what was bought and for how
 * many, when (Beijing time, whatever the PC's zone), who verified it, the order and Douyin's
 * verify ids with their QR, then the footer. One layout, so the HTML slip and the ESC/POS slip
 * cannot say different things.
 */
export function layoutSlip(slip: Slip): SlipBlock[] {
  const l = LABELS[slip.language];
  const blocks: SlipBlock[] = [];
  const title = slip.spotName || l.title;
  for (const text of wrap(title, SLIP_COLUMNS / 2)) blocks.push({ kind: 'text', text, align: 'center', big: true, bold: true });
  blocks.push({ kind: 'text', text: slip.windowName, align: 'center' });
  if (slip.kind === 'manual') blocks.push({ kind: 'text', text: `** ${l.reprint} **`, align: 'center', bold: true });
  blocks.push({ kind: 'rule' });
  if (slip.kind === 'test') {
    blocks.push({ kind: 'text', text: l.test, align: 'center', bold: true });
    blocks.push(...field(l.time, `${businessDateTime(slip.at)}${l.beijing}`, slip.language));
    blocks.push({ kind: 'rule' });
    return blocks;
  }
  if (slip.product) blocks.push(...field(l.product, slip.product, slip.language));
  if (slip.people !== null) blocks.push(...field(l.people, String(slip.people), slip.language));
  blocks.push(...field(l.time, `${businessDateTime(slip.at)}${l.beijing}`, slip.language));
  if (slip.operatorNo) blocks.push(...field(l.operator, slip.operatorNo, slip.language));
  if (slip.orderId) blocks.push(...field(l.order, slip.orderId, slip.language));
  if (slip.verifyIds.length === 0) blocks.push(...field(l.verifyId, l.pending, slip.language));
  for (const id of slip.verifyIds) blocks.push(...field(l.verifyId, id, slip.language));
  // One code for the whole entry: a gate reader or a supervisor's phone reads every id at once.
  if (slip.verifyIds.length > 0) blocks.push({ kind: 'qr', data: slip.verifyIds.join(',') });
  blocks.push({ kind: 'rule' });
  blocks.push({ kind: 'text', text: l.footer, align: 'center' });
  return blocks;
}
