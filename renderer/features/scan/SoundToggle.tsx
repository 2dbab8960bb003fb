import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';

export function SoundToggle() {
  const t = useT();
  const sound = useApp((s) => s.sound);
  const setSound = useApp((s) => s.setSound);
  return (
    <button
      type="button"
      className="sound-toggle"
      data-testid="sound-toggle"
      aria-pressed={sound}
      onClick={() => setSound(!sound)}
    >
      {sound ? t('sound.on') : t('sound.off')}
    </button>
  );
}
