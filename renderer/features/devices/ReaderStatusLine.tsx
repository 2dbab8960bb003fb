import type { IdReaderStatus } from '../../../shared/domain/devices';
import { formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';

/** The reader's state in words: connected or not, a card on it, the last read, the last error. */
function useReaderWords(reader: IdReaderStatus): { parts: string[]; problem: string | null } {
  const t = useT();
  const language = useApp((s) => s.language);
  const parts: string[] = [];
  if (reader.connected !== null) parts.push(reader.connected ? t('reader.connected') : t('reader.disconnected'));
  if (reader.connected && reader.cardPresent !== null)
    parts.push(reader.cardPresent ? t('reader.cardPresent') : t('reader.noCard'));
  parts.push(reader.lastReadAt ? t('reader.lastRead', { time: formatTime(language, reader.lastReadAt) }) : t('reader.neverRead'));
  const error = reader.lastError;
  const problem = error
    ? t('reader.lastError', { time: formatTime(language, error.at), problem: t(`reader.problem.${error.problem}`) })
    : null;
  return { parts, problem };
}

/**
 * One small line on the staff screen for a reader the app drives itself (SDK or local service);
 * a keyboard-wedge reader is just a keyboard and shows nothing.
 */
export function ReaderStatusLine() {
  const t = useT();
  const reader = useApp((s) => s.reader);
  if (!reader || reader.kind === 'keyboard_wedge') return null;
  return <ReaderStatusText reader={reader} label={t('reader.title')} />;
}

export function ReaderStatusText({ reader, label }: { reader: IdReaderStatus; label: string }) {
  const { parts, problem } = useReaderWords(reader);
  return (
    <p
      className={`reader-status muted${problem ? ' reader-status-bad' : ''}`}
      data-testid="reader-status"
      data-connected={String(reader.connected)}
    >
      {label}: {parts.join(' · ')}
      {problem && (
        <span className="reader-status-error" data-testid="reader-error">
          {' '}
          · {problem}
        </span>
      )}
    </p>
  );
}
