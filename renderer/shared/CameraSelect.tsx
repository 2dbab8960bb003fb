import { useT } from '../i18n/useT';

/** The camera chooser the scan screen and the devices page both show (nothing with no camera). */
export function CameraSelect({
  devices,
  deviceId,
  onChoose,
  testId,
  className,
}: {
  devices: MediaDeviceInfo[];
  deviceId: string | null | undefined;
  onChoose: (deviceId: string) => void;
  testId: string;
  className?: string;
}) {
  const t = useT();
  if (devices.length === 0) return null;
  return (
    <label className={className}>
      {t('camera.choose')}
      <select data-testid={testId} value={deviceId ?? ''} onChange={(e) => onChoose(e.target.value)}>
        <option value="">{t('camera.default')}</option>
        {devices.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || t('camera.unnamed', { n: i + 1 })}
          </option>
        ))}
      </select>
    </label>
  );
}
