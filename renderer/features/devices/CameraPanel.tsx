import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/useT';
import { rememberCamera, rememberedCamera } from '../../shared/camera-choice';
import { CameraSelect } from '../../shared/CameraSelect';

/**
 * The camera on the devices page: which one the scan screen uses (the same remembered choice)
 * and a live preview, asked for only when the supervisor starts it and released when stopped.
 */
export function CameraPanel() {
  const t = useT();
  const [on, setOn] = useState(false);
  const [deviceId, setDeviceId] = useState(rememberedCamera);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (!on) return;
    let stream: MediaStream | undefined;
    let left = false;
    setFailed(null);
    navigator.mediaDevices
      .getUserMedia({ video: deviceId ? { deviceId: { exact: deviceId } } : true })
      .then(async (opened) => {
        stream = opened;
        if (left) return opened.getTracks().forEach((track) => track.stop());
        if (video.current) {
          video.current.srcObject = opened;
          await video.current.play();
        }
        setLive(true);
        // Labels are only given once permission is granted.
        const all = await navigator.mediaDevices.enumerateDevices();
        if (!left) setDevices(all.filter((d) => d.kind === 'videoinput'));
      })
      .catch((error: unknown) => {
        if (!left) setFailed(error instanceof Error ? error.name : String(error));
      });
    return () => {
      left = true;
      setLive(false);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [on, deviceId]);

  const choose = (id: string) => {
    rememberCamera(id || undefined);
    setDeviceId(id || undefined);
  };

  return (
    <div className="sup-panel" data-testid="camera-panel">
      <h3>{t('devices.camera.title')}</h3>
      <CameraSelect devices={devices} deviceId={deviceId} onChoose={choose} testId="devices-camera-select" />
      <div className="sup-actions">
        <button type="button" data-testid="camera-preview" onClick={() => setOn(!on)}>
          {on ? t('devices.camera.stop') : t('devices.camera.preview')}
        </button>
      </div>
      {on && (
        <video
          ref={video}
          className="devices-camera-video"
          data-testid="camera-preview-video"
          data-live={String(live)}
          muted
          playsInline
        />
      )}
      {failed && (
        <p className="sup-error" role="alert" data-testid="camera-preview-error">
          {t(failed === 'NotFoundError' ? 'devices.camera.none' : 'camera.problem.failed')}
          {` (${failed})`}
        </p>
      )}
    </div>
  );
}
