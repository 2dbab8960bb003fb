import { loggerFor } from '../log';
import {
  createShortLinkResolver,
  DEFAULT_SHORT_LINK_HOSTS,
  parseShortLinkHosts,
  type ShortLinkHost,
  type ShortLinkResolver,
} from './short-link';

const log = loggerFor('short-links');

/**
 * The short-link hosts this window trusts, from DOUYIN_SHORT_LINK_HOSTS (headless runs, tests),
 * else the supervisor's setting, plus demo mode's own sandbox; and one resolver for them, made
 * again only when the list changes. A bad stored list falls back to Douyin's own host, logged.
 */
export function createShortLinkTrust(source: {
  env: NodeJS.ProcessEnv;
  setting: () => string;
  demoHosts: () => string | undefined;
}) {
  let cached: { text: string; hosts: ShortLinkHost[]; resolver?: ShortLinkResolver } | undefined;
  const current = () => {
    const text = [source.env.DOUYIN_SHORT_LINK_HOSTS ?? source.setting(), source.demoHosts() ?? ''].join(',');
    if (cached?.text === text) return cached;
    void cached?.resolver?.close();
    let hosts: ShortLinkHost[];
    try {
      hosts = parseShortLinkHosts(text);
    } catch (error) {
      log.warn(
        `bad short-link hosts (${error instanceof Error ? error.message : String(error)}); using ${DEFAULT_SHORT_LINK_HOSTS.join(',')}`,
      );
      hosts = parseShortLinkHosts(undefined);
    }
    cached = { text, hosts };
    return cached;
  };
  return {
    hosts: (): readonly ShortLinkHost[] => current().hosts,
    resolver: (): ShortLinkResolver => {
      const entry = current();
      entry.resolver ??= createShortLinkResolver({ hosts: entry.hosts });
      return entry.resolver;
    },
    close: async () => {
      await cached?.resolver?.close();
    },
  };
}
