import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  configureRequestOptions,
  configureRequestUrl,
  HttpExecutor,
  type CancellationToken,
  type DownloadOptions,
} from 'builder-util-runtime';
import { NsisUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';

/**
 * Electron's `net`, played by Node's http: the same download as electron-updater's
 * ElectronHttpExecutor (headers, manual redirects, the digest check in `doDownload`).
 */
class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return httpRequest(options, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions & { cancellationToken: CancellationToken }): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { ...(options.headers ? { headers: options.headers } : {}) };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

/**
 * electron-updater's real NsisUpdater (what `autoUpdater` is on Windows) without Electron: an app
 * adapter in a folder of its own (app-update.yml as electron-builder writes it, the cache) and
 * Node's http. `_testOnlyOptions` is electron-updater's own switch for this: the platform whose
 * feed file it reads (latest.yml, Windows) instead of this machine's (latest-linux.yml). With a
 * `publisherName` (a signed release), it checks installers' signatures with its
 * `verifyUpdateCodeSignature`, which a test replaces (Windows' Authenticode is not here).
 */
export function nodeNsisUpdater(dir: string, version: string, publisherName?: string): NsisUpdater {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'app-update.yml');
  writeFileSync(
    config,
    'provider: generic\nurl: https://site-hub.invalid/updates/stable\nupdaterCacheDirName: ticket-window-updater\n' +
      (publisherName ? `publisherName:\n  - ${publisherName}\n` : ''),
  );
  const adapter: AppAdapter = {
    version,
    name: 'Ticket Window',
    isPackaged: true,
    appUpdateConfigPath: config,
    userDataPath: dir,
    baseCachePath: join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
  const updater = new NsisUpdater(null, adapter);
  Object.assign(updater, {
    httpExecutor: new NodeHttpExecutor(),
    _testOnlyOptions: { platform: 'win32', isUseDifferentialDownload: false },
  });
  return updater;
}
