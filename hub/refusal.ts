import type { HubError } from '../shared/hub/protocol';

/** A refusal the caller can act on: an HTTP status, a code, and words in both languages. */
export class HubRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }

  toJSON(): HubError {
    return { error: this.code, message: { 'zh-CN': this.zh, en: this.en } };
  }
}

export const unauthorized = (code: string, zh: string, en: string) => new HubRefusal(401, code, zh, en);
