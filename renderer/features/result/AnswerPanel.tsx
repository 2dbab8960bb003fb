import { yuan } from '../../../shared/domain/money';
import { formatDate, formatTime } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { admitText, reasonText, VERDICT_COLOUR } from './answer-text';
import { CouponConfirm } from './CouponConfirm';
import { VerdictIcon } from './VerdictIcon';

/**
 * The answer at a glance: colour and shape first, then what to do with the visitor, then why,
 * then which ticket. Re-keyed per answer so a second green in a row visibly flashes as new.
 */
export function AnswerPanel() {
  const t = useT();
  const language = useApp((s) => s.language);
  const answer = useApp((s) => s.answer);
  const seq = useApp((s) => s.answerSeq);
  const pending = useApp((s) => s.pending > 0);
  if (!answer) {
    return (
      <section className="answer answer-idle" data-testid="answer" data-verdict="idle" data-seq={seq} data-pending={pending}>
        <div className="answer-title">{pending ? t('scan.working') : t('scan.ready')}</div>
        <div className="answer-reason muted">{t('scan.readyHint')}</div>
      </section>
    );
  }
  // "Accepted offline · will sync": the part after the dot qualifies the headline; set smaller,
  // the headline stays on one line at 1366 px.
  const [headline, qualifier] = t(`verdict.${answer.verdict}`).split(' · ');
  const admit = admitText(t, answer);
  return (
    <section
      key={seq}
      className={`answer answer-${VERDICT_COLOUR[answer.verdict]}`}
      data-testid="answer"
      data-verdict={answer.verdict}
      data-reason={answer.reason}
      data-seq={seq}
      data-pending={pending}
      aria-live="assertive"
    >
      <div className="answer-head">
        <VerdictIcon verdict={answer.verdict} />
        <div>
          <div className="answer-title">
            {headline}
            {qualifier && <span className="answer-qualifier"> · {qualifier}</span>}
          </div>
          <div className="answer-admit" data-testid="admit" data-admit={String(answer.admit)}>
            {admit}
          </div>
        </div>
      </div>
      <div className="answer-reason" data-testid="answer-reason">
        {reasonText(t, answer)}
      </div>
      {answer.previous && (
        <div className="answer-detail" data-testid="answer-previous">
          {answer.verdict === 'repeat'
            ? t('answer.repeatOf', { time: formatTime(language, answer.previous.at) })
            : t('answer.previous', { time: formatTime(language, answer.previous.at), window: answer.previous.windowName })}
        </div>
      )}
      {answer.douyinMessage && <div className="answer-detail">{t('answer.douyin', { message: answer.douyinMessage })}</div>}
      {answer.coupon && (
        <div className="answer-detail" data-testid="answer-coupon">
          {t('coupon.summary', {
            people: answer.coupon.people,
            unused: answer.coupon.unused,
            amount: yuan(answer.coupon.amountsFen.reduce((sum, fen) => sum + fen, 0)),
          })}
          {answer.coupon.validUntil !== undefined &&
            ` · ${t('coupon.validUntil', { date: formatDate(language, answer.coupon.validUntil) })}`}
        </div>
      )}
      {answer.verdict === 'confirm' && answer.coupon?.prepareId !== undefined && (
        <CouponConfirm target={{ prepareId: answer.coupon.prepareId }} unused={answer.coupon.unused} />
      )}
      {answer.reason === 'coupon_offline_count' && answer.scanId !== null && <CouponConfirm target={{ scanId: answer.scanId }} />}
      <div className="answer-ticket">
        {answer.projectName && (
          <span className="answer-project" data-testid="answer-project">
            {answer.projectName}
          </span>
        )}
        <span className="answer-code code">{answer.credentialDisplay}</span>
        <time className="answer-time" data-testid="answer-time">
          {formatTime(language, answer.at)}
        </time>
      </div>
    </section>
  );
}
