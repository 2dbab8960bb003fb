import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron';

/** 96 CSS pixels to the inch, 25 400 microns to the inch. */
const MICRONS_PER_PX = 25_400 / 96;
const SLIP_WIDTH_MICRONS = 80_000;

type SlipWindow = Pick<BrowserWindow, 'loadURL' | 'destroy'> & {
  webContents: Pick<WebContents, 'getPrintersAsync' | 'print' | 'executeJavaScript'>;
};

/**
 * The Electron half of printing a slip on a Windows printer: the core renders an 80 mm page, and
 * this prints it silently (no dialog at a gate) in a window that is never shown, as long as the
 * slip itself, so a roll printer cuts after the slip rather than after an A4 page.
 */
export async function printSlipSilently(
  html: string,
  printerName: string,
  makeWindow: (options: BrowserWindowConstructorOptions) => SlipWindow,
): Promise<void> {
  const window = makeWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, spellcheck: false },
  });
  try {
    const printers = await window.webContents.getPrintersAsync();
    if (!printers.some((p) => p.name === printerName)) {
      throw new Error(`Windows has no printer named "${printerName}" (${printers.map((p) => p.name).join(', ') || 'none'})`);
    }
    await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    // Main's own evaluation: the page's CSP and disabled scripts do not apply to it.
    const heightPx = Number(await window.webContents.executeJavaScript('document.documentElement.scrollHeight', true));
    const height = Math.max(50_000, Math.ceil((Number.isFinite(heightPx) ? heightPx : 0) * MICRONS_PER_PX) + 5_000);
    await new Promise<void>((resolve, reject) =>
      window.webContents.print(
        {
          silent: true,
          deviceName: printerName,
          printBackground: false,
          margins: { marginType: 'none' },
          pageSize: { width: SLIP_WIDTH_MICRONS, height },
        },
        (success, failureReason) => (success ? resolve() : reject(new Error(failureReason || 'the print failed'))),
      ),
    );
  } finally {
    window.destroy();
  }
}
