import type { Language } from '../../shared/domain/status';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

export type { MessageKey };
const dictionaries: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** `{name}` placeholders are filled from params; a missing param stays visible, not blank. */
export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}

// Building an Intl.DateTimeFormat costs far more than formatting with one (ICU loads the
// locale's patterns): one per language and style, kept. The answer panel formats on every scan.
const formats = new Map<string, Intl.DateTimeFormat>();
function formatOf(language: Language, style: 'time' | 'date'): Intl.DateTimeFormat {
  const key = `${language} ${style}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      language,
      style === 'time'
        ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }
        : { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Shanghai' },
    );
    formats.set(key, format);
  }
  return format;
}

export function formatTime(language: Language, ms: number): string {
  return formatOf(language, 'time').format(ms);
}

export function formatDate(language: Language, ms: number): string {
  return formatOf(language, 'date').format(ms);
}
