import type { ScanAnswer } from '../../../shared/domain/scan';
import { formatTime, isMessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';

const COLOUR = { verified: 'green', offline: 'amber', refused: 'red' } as const;

/** The answer at a glance: colour first, then the verdict, then what to do with the visitor. */
export function AnswerPanel({ answer }: { answer: ScanAnswer | null }) {
  const t = useT();
  const language = useApp((s) => s.language);
  const busy = useApp((s) => s.busy);
  if (!answer) {
    return (
      <section className="answer answer-idle" data-testid="answer" data-verdict="idle">
        <div className="answer-title">{busy ? t('scan.working') : t('scan.ready')}</div>
      </section>
    );
  }
  const inputKey = `input.${answer.inputProblem ?? ''}`;
  return (
    <section
      className={`answer answer-${COLOUR[answer.verdict]}`}
      data-testid="answer"
      data-verdict={answer.verdict}
      data-reason={answer.reason}
      aria-live="assertive"
    >
      <div className="answer-title">{t(`verdict.${answer.verdict}`)}</div>
      <div className="answer-reason">
        {answer.inputProblem && isMessageKey(inputKey) ? t(inputKey) : t(`reason.${answer.reason}`)}
        {answer.repeated ? ` ${t('answer.repeated', { seconds: 10 })}` : ''}
      </div>
      {answer.previous && (
        <div className="answer-detail">
          {t('answer.previous', { time: formatTime(language, answer.previous.at), window: answer.previous.windowName })}
        </div>
      )}
      {answer.douyinMessage && <div className="answer-detail">{t('answer.douyin', { message: answer.douyinMessage })}</div>}
      <div className="answer-meta">
        {answer.projectName && <span className="project">{answer.projectName}</span>}
        <span>{answer.credentialDisplay}</span>
        <span>{formatTime(language, answer.at)}</span>
      </div>
      <div className="answer-admit" data-testid="admit" data-admit={String(answer.admit)}>
        {answer.admit ? t('admit.yes') : answer.verdict === 'offline' ? t('admit.offlineNo') : t('admit.no')}
      </div>
    </section>
  );
}
