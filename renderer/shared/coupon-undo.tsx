import { useEffect, useState } from 'react';
import { UndoReason } from '../../shared/domain/history';
import type { CouponUndoView } from '../../shared/domain/scan';
import type { Output } from '../../shared/ipc/contract';
import type { AppError, Result } from '../../shared/ipc/result';
import { useT } from '../i18n/useT';

/**
 * 撤销核销 as history and the staff's recent list both offer it: the countdown to one hour from
 * the verify, the reason rule, the call and what became of the undo. The core judges again.
 */

/** The clock the countdown shows, ticking once a second while the undo is still possible. */
export function useUndoClock(undo: CouponUndoView | undefined): { undoable: boolean; leftMs: number } {
  const active = undo?.state === 'undoable' && undo.deadline !== null;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  const leftMs = active && undo.deadline !== null ? undo.deadline - now : 0;
  return { undoable: active && leftMs > 0, leftMs };
}

export function UndoTimeLeft({ leftMs }: { leftMs: number }) {
  const t = useT();
  const seconds = Math.floor(leftMs / 1000);
  return (
    <span className="muted" data-testid="undo-left">
      {t('sup.undo.left', { minutes: String(Math.floor(seconds / 60)), seconds: String(seconds % 60).padStart(2, '0') })}
    </span>
  );
}

/** The reason box (required, 2–200 characters), focused when it appears. */
export function UndoReasonInput({
  value,
  onChange,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  const t = useT();
  return (
    <input
      autoFocus
      value={value}
      maxLength={200}
      onChange={(e) => onChange(e.target.value)}
      placeholder={t('sup.undo.reasonHint')}
      aria-label={t('sup.undo.reason')}
      data-testid={testId}
    />
  );
}

/** A reason too short or too long, refused before anything is sent. */
export function undoReasonProblem(reason: string): AppError | null {
  return UndoReason.safeParse(reason).success ? null : { code: 'bad_input', message: '', detail: 'sup.undo.reasonHint' };
}

export type UndoCall = (input: { scanId: number; reason: string }) => Promise<Result<Output<'supervisor.coupon.undo'>>>;

/** Asks for the undo; null when Douyin took it (or it is queued: `queued` says so), else the refusal. */
export async function askUndo(
  call: UndoCall,
  scanId: number,
  reason: string,
): Promise<{ error: AppError | null; queued: boolean }> {
  const result = await call({ scanId, reason: reason.trim() });
  if (!result.ok) return { error: result.error, queued: false };
  return { error: null, queued: result.value.state === 'pending' };
}

/** What became of an undo (or why there is none): the words history and the recent list show. */
export function UndoState({ undo, undone, leftMs }: { undo: CouponUndoView; undone: number; leftMs: number }) {
  const t = useT();
  const state = undo.state === 'undoable' && leftMs <= 0 ? 'expired' : undo.state;
  return (
    <span data-testid="undo-state" data-undo={state}>
      {state === 'undone'
        ? t('sup.undo.state.undone', { operator: undo.operatorNo ?? '—', reason: undo.reason ?? '' })
        : state === 'undoable' || state === 'unavailable'
          ? '—'
          : t(`sup.undo.state.${state}`)}
      {state !== 'undone' && undone > 0 && ` · ${t('sup.undo.partial', { undone: String(undone) })}`}
      {(state === 'refused' || state === 'needs_attention') && undo.lastReason && (
        <span className="muted"> · {undo.lastReason}</span>
      )}
    </span>
  );
}
