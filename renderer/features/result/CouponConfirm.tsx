import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { CouponSummary } from '../../../shared/domain/scan';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';

/**
 * How many enter now, keyboard only: the count box has focus with the default (all unused)
 * selected, so one digit replaces it, Enter confirms and Esc cancels. A scanner burst is still
 * told from these keys by the wedge and starts a new scan instead.
 */
export function CouponConfirm({ coupon }: { coupon: CouponSummary & { prepareId: number } }) {
  const t = useT();
  const confirm = useApp((s) => s.confirmCoupon);
  const cancel = useApp((s) => s.cancelCoupon);
  const [value, setValue] = useState(String(coupon.unused));
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [coupon.prepareId]);
  const count = Number(value);
  const valid = Number.isInteger(count) && count >= 1 && count <= coupon.unused;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) void confirm(coupon.prepareId, count);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    void cancel(coupon.prepareId);
  };
  return (
    <form className="coupon-confirm" onSubmit={onSubmit} data-testid="coupon-confirm">
      <label htmlFor="coupon-count">{t('coupon.howMany', { unused: coupon.unused })}</label>
      <input
        id="coupon-count"
        ref={input}
        data-testid="coupon-count"
        inputMode="numeric"
        autoComplete="off"
        maxLength={2}
        value={value}
        aria-invalid={!valid}
        onChange={(e) => setValue(e.target.value.replace(/\D/g, ''))}
        onKeyDown={onKeyDown}
      />
      <span className="muted">{t('coupon.keys')}</span>
      {!valid && <span role="alert">{t('coupon.countRange', { unused: coupon.unused })}</span>}
    </form>
  );
}
