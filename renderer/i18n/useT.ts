import { useCallback } from 'react';
import { useApp } from '../stores/app';
import { translate, type MessageKey } from './index';

export function useT(): (key: MessageKey, params?: Record<string, string | number>) => string {
  const language = useApp((s) => s.language);
  return useCallback((key, params) => translate(language, key, params), [language]);
}
