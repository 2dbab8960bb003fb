import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { dispatch, type Routes } from '../../../electron/core/dispatch';
import { createSystemRoutes } from '../../../electron/core/routes/system';
import type { Supervisor } from '../../../electron/core/supervisor';
import { RouteError } from '../../../shared/ipc/result';

const GOOD = 'g'.repeat(32);

function routes(lockedUntil: number | null = null) {
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
  const handlers = createSystemRoutes(supervisor as unknown as Supervisor, () => '/data');
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
  it('chooses a dated PDF path in the data folder for a shift report, and audits it', async () => {
    const { routes: r, supervisor } = routes();
    const result = await dispatch(r, 'system.saveReportPdf', { session: GOOD });
    expect(result).toMatchObject({ ok: true, value: { opened: false } });
    expect(result.ok && (result.value as { path: string }).path).toMatch(/^\/data\/reports\/shift-report-\d{8}-\d{6}\.pdf$/);
    expect(supervisor.audit.record).toHaveBeenCalledWith('report_pdf_saved', expect.any(String));
  });
});
