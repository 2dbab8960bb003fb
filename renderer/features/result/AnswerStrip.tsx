import { useEffect, useState } from 'react';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { admitText, reasonText, VERDICT_COLOUR } from './answer-text';
import { VerdictIcon } from './VerdictIcon';

const SHOWN_MS = 20_000;

/**
 * The answer to a scan made while supervisor mode covers the scan screen: the visitor at the
 * window must not wait for the supervisor to lock. Colour, verdict, let in or not, why, the code;
 * it fades after a while so an old answer is not read as a new one.
 */
export function AnswerStrip() {
  const t = useT();
  const answer = useApp((s) => s.answer);
  const seq = useApp((s) => s.answerSeq);
  const [since] = useState(seq);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    if (seq === since) return;
    setVisible(true);
    const timer = setTimeout(() => setVisible(false), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [seq, since]);
  if (!answer || !visible) return null;
  return (
    <div
      className={`answer-strip answer-${VERDICT_COLOUR[answer.verdict]}`}
      data-testid="answer-strip"
      data-verdict={answer.verdict}
      role="status"
    >
      <VerdictIcon verdict={answer.verdict} />
      <strong>{t(`verdict.${answer.verdict}`)}</strong>
      <span>{admitText(t, answer)}</span>
      <span>{reasonText(t, answer)}</span>
      <span className="code">{answer.credentialDisplay}</span>
    </div>
  );
}
