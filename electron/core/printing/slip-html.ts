import QRCode from 'qrcode';
import type { SlipBlock } from './slip';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * The same slip as an 80 mm page for a Windows printer driver (silent print from main). The QR
 * is drawn here as SVG, since a driver prints pixels, not ESC/POS commands. Inline only: the page
 * loads nothing, runs no script, and main shows it in a sandboxed window that never appears.
 */
export async function slipHtml(blocks: readonly SlipBlock[]): Promise<string> {
  const body: string[] = [];
  for (const block of blocks) {
    if (block.kind === 'rule') body.push('<hr>');
    else if (block.kind === 'qr') {
      const svg = await QRCode.toString(block.data, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      body.push(`<div class="qr">${svg}</div>`);
    } else {
      const classes = [block.align === 'center' ? 'c' : '', block.big ? 'big' : '', block.bold ? 'b' : ''].filter(Boolean);
      body.push(`<p class="${classes.join(' ')}">${escape(block.text)}</p>`);
    }
  }
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
@page { size: 80mm auto; margin: 0; }
body { width: 72mm; margin: 0 4mm; font: 12pt/1.35 "Microsoft YaHei", "SimHei", sans-serif; color: #000; }
p { margin: 0; white-space: pre-wrap; word-break: break-all; }
.c { text-align: center; } .b { font-weight: bold; } .big { font-size: 18pt; }
hr { border: 0; border-top: 1px dashed #000; margin: 2mm 0; }
.qr { width: 32mm; margin: 2mm auto; } .qr svg { width: 100%; height: auto; }
</style></head><body>${body.join('\n')}</body></html>`;
}
