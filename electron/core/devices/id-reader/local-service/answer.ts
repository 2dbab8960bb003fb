import { isValidIdNumber } from '../../../../../shared/scan/idNumber';

/** What one answer of the vendor's service says about the reader. */
export type ServiceAnswer =
  { kind: 'no_card' } | { kind: 'card'; idNumber: string } | { kind: 'misread' } | { kind: 'bad_answer'; detail: string };

function fieldAt(value: unknown, path: string): unknown {
  let current = value;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/**
 * Services answer "no card" by leaving the number out or empty (with their own result flag
 * beside it), so an absent field is a lifted card, not an error. Only the one field is read:
 * the name, birth date and photo in the same answer are never looked at.
 */
export function interpretAnswer(body: string, idField: string): ServiceAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'bad_answer', detail: 'the answer is not JSON' };
  }
  if (parsed === null || typeof parsed !== 'object') return { kind: 'bad_answer', detail: 'the answer is not a JSON object' };
  const field = fieldAt(parsed, idField);
  if (field === undefined || field === null || field === '') return { kind: 'no_card' };
  if (typeof field !== 'string') return { kind: 'misread' };
  const idNumber = field.trim().toUpperCase();
  return isValidIdNumber(idNumber) ? { kind: 'card', idNumber } : { kind: 'misread' };
}
