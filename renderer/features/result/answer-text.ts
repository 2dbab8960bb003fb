import type { ScanAnswer } from '../../../shared/domain/scan';
import { isMessageKey, type MessageKey } from '../../i18n';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export const VERDICT_COLOUR = { verified: 'green', offline: 'amber', refused: 'red', repeat: 'violet', confirm: 'blue' } as const;

/** What to do with the visitor: the line the staff act on. */
export function admitText(t: T, answer: ScanAnswer): string {
  const people = answer.coupon?.people ?? answer.people;
  if (answer.admit) return people !== undefined ? t('admit.people', { count: people }) : t('admit.yes');
  if (answer.verdict === 'confirm') return t('admit.confirm');
  if (answer.reason === 'coupon_offline_count') return t('admit.offlineCount');
  return answer.verdict === 'offline' ? t('admit.offlineNo') : t('admit.no');
}

/** Why: the parser's own words for unreadable input, else the verdict's reason. */
export function reasonText(t: T, answer: ScanAnswer): string {
  const inputKey = `input.${answer.inputProblem ?? ''}`;
  const reason = answer.inputProblem && isMessageKey(inputKey) ? t(inputKey) : t(`reason.${answer.reason}`);
  return answer.repeated && answer.verdict !== 'repeat' ? `${reason} ${t('answer.repeated')}` : reason;
}
