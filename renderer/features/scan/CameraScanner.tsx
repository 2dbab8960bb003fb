import type { IScannerControls } from '@zxing/browser';
import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/useT';
import { submitScan } from './submit-scan';
import { createCameraReader } from './camera-reader';
import { rememberCamera, rememberedCamera } from '../../shared/camera-choice';
import { createRepeatFilter } from './repeat-filter';
import { CameraSelect } from '../../shared/CameraSelect';

const REPEAT_QUIET_MS = 3000;

type Problem = 'denied' | 'none' | 'failed';

function problemOf(error: unknown): Problem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'none';
  return 'failed';
}

/** Off until the staff turn it on: only then is the camera (and its permission) asked for. */
export function CameraScanner() {
  const t = useT();
  const [on, setOn] = useState(false);
  return (
    <section className="camera" aria-label={t('camera.title')}>
      <button
        type="button"
        className={`camera-toggle${on ? ' camera-toggle-on' : ''}`}
        data-testid="camera-toggle"
        aria-pressed={on}
        onClick={() => setOn(!on)}
      >
        {on ? t('camera.off') : t('camera.on')}
      </button>
      {on && <CameraView />}
    </section>
  );
}

/** Decodes continuously while mounted; unmounting releases the camera. */
function CameraView() {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [deviceId, setDeviceId] = useState(rememberedCamera);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [live, setLive] = useState(false);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    const fresh = createRepeatFilter(REPEAT_QUIET_MS);
    let controls: IScannerControls | undefined;
    let left = false;
    setProblem(null);
    setLive(false);
    // The decoder is most of the bundle and many windows never use a camera: load it on demand.
    Promise.all([import('@zxing/browser'), import('@zxing/library')])
      .then(async ([browser, library]) => {
        if (left) return;
        const started = await createCameraReader(browser, library).decodeFromVideoDevice(deviceId, element, (result) => {
          const text = result?.getText();
          if (text && fresh(text, performance.now())) submitScan(text, 'camera');
        });
        controls = started;
        if (left) return started.stop();
        setLive(true);
        // Labels are only given once permission is granted, so list the cameras now.
        const inputs = await browser.BrowserCodeReader.listVideoInputDevices();
        if (!left) setDevices(inputs);
      })
      .catch((error: unknown) => {
        if (left) return;
        // The remembered camera is unplugged: use the default one, and keep the choice for later.
        if (deviceId && problemOf(error) === 'none') setDeviceId(undefined);
        else setProblem(problemOf(error));
      });
    return () => {
      left = true;
      controls?.stop();
    };
  }, [deviceId]);

  const choose = (id: string) => {
    rememberCamera(id || undefined);
    setDeviceId(id || undefined);
  };

  return (
    <div className="camera-view" data-testid="camera-view" data-live={String(live)}>
      <CameraSelect devices={devices} deviceId={deviceId} onChoose={choose} testId="camera-select" className="camera-choice" />
      <div className="camera-frame">
        <video ref={video} muted playsInline />
        <div className="camera-aim" aria-hidden="true" />
        {!live && !problem && <p className="camera-note">{t('camera.starting')}</p>}
        {problem && (
          <p className="camera-note camera-problem" role="alert" data-testid="camera-problem">
            {t(`camera.problem.${problem}`)}
          </p>
        )}
      </div>
      <p className="camera-hint muted">{t('camera.hint')}</p>
    </div>
  );
}
