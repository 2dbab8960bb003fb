import { isMessageKey, type MessageKey } from '../i18n';
import type { AppError } from '../../shared/ipc/result';

/** The most precise translation the error carries: its detail key if known, else its code. */
export function errorKey(error: AppError): MessageKey {
  if (error.detail && isMessageKey(error.detail)) return error.detail;
  return `error.${error.code}`;
}
