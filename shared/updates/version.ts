import { z } from 'zod';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

/** An app version as electron-builder writes it into latest.yml: semantic versioning. */
export const appVersionSchema = z.string().max(40).regex(SEMVER, 'must be a version like 1.2.3 or 1.2.3-beta.1');

function parts(version: string): { core: number[]; pre: string[] } {
  const match = SEMVER.exec(version);
  if (!match) throw new Error(`not a version: ${version}`);
  return { core: [Number(match[1]), Number(match[2]), Number(match[3])], pre: match[4]?.split('.') ?? [] };
}

function compareIdentifier(a: string, b: string): number {
  const numeric = (s: string) => /^\d+$/.test(s);
  if (numeric(a) && numeric(b)) return Number(a) - Number(b);
  if (numeric(a) !== numeric(b)) return numeric(a) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative, zero or positive as `a` is older than, the same as or newer than `b` (semver 2 order). */
export function compareVersions(a: string, b: string): number {
  const left = parts(a);
  const right = parts(b);
  for (let i = 0; i < 3; i++) {
    const d = (left.core[i] as number) - (right.core[i] as number);
    if (d !== 0) return Math.sign(d);
  }
  // A pre-release comes before its release.
  if (left.pre.length === 0 || right.pre.length === 0) return Math.sign(right.pre.length - left.pre.length);
  for (let i = 0; i < Math.min(left.pre.length, right.pre.length); i++) {
    const d = compareIdentifier(left.pre[i] as string, right.pre[i] as string);
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(left.pre.length - right.pre.length);
}
