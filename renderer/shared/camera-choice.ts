/** Shared by the scan screen's camera and the devices page, which both choose the same camera. */
const KEY = 'tw.camera';

/** The camera the staff picked last, by device id; undefined means the system's default. */
export function rememberedCamera(): string | undefined {
  return localStorage.getItem(KEY) ?? undefined;
}

export function rememberCamera(deviceId: string | undefined): void {
  if (deviceId) localStorage.setItem(KEY, deviceId);
  else localStorage.removeItem(KEY);
}
