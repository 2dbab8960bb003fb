import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useT } from '../../i18n/useT';
import { useApp, type CouponTarget } from '../../stores/app';

/** Most people one offline count may admit: the contract's bound. */
const OFFLINE_MAX = 99;

/**
 * How many enter now, keyboard only. After a prepare (`unused` known) the count box has focus
 * with the default (all unused) selected, so one digit replaces it, Enter confirms and Esc
 * cancels. Offline (Douyin away, nothing known of the coupon) the box starts empty: the staff type
 * the count, then Enter; Esc cancels. A scanner burst is still told from these keys by the wedge
 * and starts a new scan instead.
 */
export function CouponConfirm({ target, unused }: { target: CouponTarget; unused?: number | undefined }) {
  const t = useT();
  const confirm = useApp((s) => s.confirmCoupon);
  const cancel = useApp((s) => s.cancelCoupon);
  const offline = unused === undefined;
  const max = unused ?? OFFLINE_MAX;
  const [value, setValue] = useState(offline ? '' : String(unused));
  const input = useRef<HTMLInputElement>(null);
  const targetKey = 'prepareId' in target ? `p${target.prepareId}` : `s${target.scanId}`;
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [targetKey]);
  const count = Number(value);
  const valid = value !== '' && Number.isInteger(count) && count >= 1 && count <= max;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) void confirm(target, count);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    void cancel(target);
  };
  return (
    <form className="coupon-confirm" onSubmit={onSubmit} data-testid="coupon-confirm" data-offline={offline}>
      <label htmlFor="coupon-count">{offline ? t('coupon.howManyOffline') : t('coupon.howMany', { unused: max })}</label>
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
      <span className="muted">{offline ? t('coupon.keysOffline') : t('coupon.keys')}</span>
      {!valid && value !== '' && (
        <span role="alert">{offline ? t('coupon.countRangeOffline') : t('coupon.countRange', { unused: max })}</span>
      )}
    </form>
  );
}
