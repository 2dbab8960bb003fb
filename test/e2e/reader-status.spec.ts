import { startStandInService } from '../support/stand-ins/reader-service';
import { expect, invoke, test } from './fixtures';

const ID = '11010519491231002X';

test('the staff screen shows a local-service reader live: connected, card on it, last read, the error when the service stops; its card is answered', async ({
  page,
}) => {
  const service = await startStandInService();
  try {
    await expect(page.getByTestId('mode')).toBeVisible();
    await expect(page.getByTestId('reader-status')).toHaveCount(0);
    const session = (await invoke(page, 'supervisor.pin.set', { pin: '246810' })).value?.token;
    const saved = await invoke(page, 'devices.idReader.save', {
      session,
      idReader: { kind: 'local_service', url: service.httpUrl, idField: 'resultContent.certNumber', pollIntervalMs: 100 },
    });
    expect(saved.ok).toBe(true);
    const line = page.getByTestId('reader-status');
    await expect(line).toContainText('读卡器: 已连接 · 无卡 · 尚未读卡');
    service.placeCard(ID, '张三');
    await expect(page.getByTestId('answer')).toHaveAttribute('data-verdict', 'verified');
    await expect(line).toContainText('有卡 · 上次读卡');
    await service.unplug();
    await expect(line).toHaveAttribute('data-connected', 'false');
    await expect(page.getByTestId('reader-error')).toContainText('读卡服务无响应，请确认厂商服务已启动');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByTestId('reader-error')).toContainText('The reader service does not answer');
  } finally {
    await service.close();
  }
});
