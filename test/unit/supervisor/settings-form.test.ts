import { describe, expect, it } from 'vitest';
import { neutralise } from '../../../electron/core/supervisor/csv-export';
import { maskedDisplay } from '../../../shared/domain/history';
import { Settings } from '../../../shared/domain/settings';
import { DOUYIN_BASE_URLS, settingsProblems } from '../../../shared/domain/settings-form';

const defaults = Settings.parse({});

describe('settings form rules', () => {
  it('accepts a good patch, with empty optional fields meaning "not set"', () => {
    expect(
      settingsProblems(defaults, { windowName: '北门', poiId: '', baseUrl: 'https://open.douyin.com', sound: false }),
    ).toEqual([]);
  });

  it('names each bad field once', () => {
    expect(
      settingsProblems(defaults, { windowName: '', poiId: '12a', baseUrl: 'javascript:alert(1)' }).map((p) => p.field),
    ).toEqual(['windowName', 'poiId', 'baseUrl']);
  });

  it('takes the presets, any HTTPS base URL, and plain HTTP only to this machine', () => {
    const fields = (baseUrl: string) => settingsProblems(defaults, { baseUrl }).map((p) => p.field);
    for (const fine of [
      DOUYIN_BASE_URLS.production,
      DOUYIN_BASE_URLS.sandbox,
      'https://gw.example.com/douyin',
      'http://127.0.0.1:4000',
      'http://localhost:4000',
    ]) {
      expect(fields(fine)).toEqual([]);
    }
    // The client secret goes to the base URL: never in clear over a network.
    for (const bad of ['http://open.douyin.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.evil.example'])
      expect(fields(bad)).toEqual(['baseUrl']);
  });

  it('takes only HTTPS (or this machine) for the token service and sane credential shapes', () => {
    const fields = (c: Record<string, string>) => settingsProblems(defaults, {}, c).map((p) => p.field);
    expect(fields({ tokenServiceUrl: 'https://tokens.example.com/t' })).toEqual([]);
    expect(fields({ tokenServiceUrl: 'http://127.0.0.1:8080/t' })).toEqual([]);
    expect(fields({ tokenServiceUrl: 'http://tokens.example.com/t' })).toEqual(['tokenServiceUrl']);
    expect(fields({ clientKey: 'aw12 34', clientSecret: 'short' })).toEqual(['clientKey', 'clientSecret']);
    expect(fields({ clientKey: '', clientSecret: '' })).toEqual([]);
  });
});

describe('CSV cells', () => {
  it('neutralises what a spreadsheet would run as a formula', () => {
    for (const bad of ['=1+1', '+86', '-2', '@SUM(A1)', '\t=1', '\r=1']) expect(neutralise(bad)).toBe(`'${bad}`);
    for (const fine of ['8000004478714899970', 'A=B', '入园', '']) expect(neutralise(fine)).toBe(fine);
  });
});

describe('masked display', () => {
  it('masks a clear ID number whatever its kind says, and leaves masked ones and codes alone', () => {
    expect(maskedDisplay('code', '11010519491231002X')).toBe('110105********002X');
    expect(maskedDisplay('id_card', '110105********002X')).toBe('110105********002X');
    expect(maskedDisplay('code', 'ABCDEF123')).toBe('ABCDEF123');
  });
});
