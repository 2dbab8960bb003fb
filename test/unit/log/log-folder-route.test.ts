import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { dispatch, type Routes } from '../../../electron/core/dispatch';
import { webDesktop, type Desktop } from '../../../electron/core/desktop';
import { createSystemRoutes } from '../../../electron/core/routes/system';
import type { Supervisor } from '../../../electron/core/supervisor';
import { RouteError } from '../../../shared/ipc/result';

const GOOD = 'g'.repeat(32);

function routes(lockedUntil: number | null = null, desktop: Desktop = webDesktop) {
  const supervisor = {
    pins: { state: () => ({ lockedUntil }) },
    sessions: {
      end: vi.fn(),
      check: vi.fn((session: string) => {
        if (session !== GOOD) throw new RouteError('unauthorized', 'no supervisor session');
      }),
    },
    audit: { record: vi.fn() },
  };
  const handlers = createSystemRoutes(supervisor as unknown as Supervisor, desktop, () => '/data');
  // As createRoutes wires it: dispatch asks the sessions, the routes do not.
  const checkSupervisor = (session: string) => void supervisor.sessions.check(session);
  return { supervisor, routes: { ...handlers, checkSupervisor } as unknown as Routes };
}

describe('system.openLogFolder (core, both transports)', () => {
  it('answers the log folder to a supervisor, and records it in the audit log', async () => {
    const { routes: r, supervisor } = routes();
    await expect(dispatch(r, 'system.openLogFolder', { session: GOOD })).resolves.toEqual({
      ok: true,
      value: { path: join('/data', 'logs'), opened: false },
    });
    expect(supervisor.audit.record).toHaveBeenCalledWith('log_folder_opened');
  });
  it('refuses without a valid supervisor session', async () => {
    const { routes: r, supervisor } = routes();
    await expect(dispatch(r, 'system.openLogFolder', { session: 'x'.repeat(32) })).resolves.toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    await expect(dispatch(r, 'system.openLogFolder', {})).resolves.toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(supervisor.audit.record).not.toHaveBeenCalled();
  });
  it('keeps serving a live session during a PIN lockout: guesses at the staff screen do not end it', async () => {
    const { routes: r, supervisor } = routes(Date.now() + 60_000);
    await expect(dispatch(r, 'system.openLogFolder', { session: GOOD })).resolves.toMatchObject({ ok: true });
    expect(supervisor.sessions.end).not.toHaveBeenCalled();
  });
});

describe('system.saveReportPdf through the Desktop port', () => {
  const saved: string[] = [];
  const desktop: Desktop = {
    savePdf: async (path) => void saved.push(path),
    openPath: async () => true,
    printSlip: async () => undefined,
  };

  it('saves the PDF at a dated path in the data folder, audits it, then opens it', async () => {
    const { routes: r, supervisor } = routes(null, desktop);
    const result = await dispatch(r, 'system.saveReportPdf', { session: GOOD });
    expect(result).toMatchObject({ ok: true, value: { opened: true } });
    const path = result.ok && (result.value as { path: string }).path;
    expect(path).toMatch(/^\/data\/reports\/shift-report-\d{8}-\d{6}\.pdf$/);
    expect(saved).toEqual([path]);
    expect(supervisor.audit.record).toHaveBeenCalledWith('report_pdf_saved', path);
  });

  it("names the day view's PDF as a day report", async () => {
    const { routes: r } = routes(null, desktop);
    const result = await dispatch(r, 'system.saveReportPdf', { session: GOOD, report: 'day' });
    expect(result.ok && (result.value as { path: string }).path).toMatch(/^\/data\/reports\/day-report-\d{8}-\d{6}\.pdf$/);
    expect(await dispatch(r, 'system.saveReportPdf', { session: GOOD, report: 'week' })).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
  });

  it('audits nothing when the PDF could not be written (it used to read "saved" anyway)', async () => {
    const failing: Desktop = { ...desktop, savePdf: () => Promise.reject(new RouteError('internal', 'disk gone')) };
    const { routes: r, supervisor } = routes(null, failing);
    await expect(dispatch(r, 'system.saveReportPdf', { session: GOOD })).resolves.toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
    expect(supervisor.audit.record).not.toHaveBeenCalled();
  });

  it('answers "not available in web mode", audits nothing', async () => {
    const { routes: r, supervisor } = routes();
    await expect(dispatch(r, 'system.saveReportPdf', { session: GOOD })).resolves.toMatchObject({
      ok: false,
      error: { code: 'not_available' },
    });
    expect(supervisor.audit.record).not.toHaveBeenCalled();
  });
});
