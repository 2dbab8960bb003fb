import { useEffect } from 'react';
import { useApp } from '../../stores/app';
import { playVerdict } from './sound';

/**
 * Plays each new answer's sound while sound is on. A store subscription rather than a render
 * effect: two answers inside one render would otherwise sound once.
 */
export function useAnswerSound(): void {
  useEffect(
    () =>
      useApp.subscribe((state, before) => {
        if (state.answerSeq !== before.answerSeq && state.answer && state.sound) playVerdict(state.answer.verdict);
      }),
    [],
  );
}
