import { expect, invoke, test, typeByHand } from './fixtures';

// Supervisor mode is a per-operator sign-in (issue 15): 工号 + PIN on the one keyboard-only form
// the shift sign-in and the break lock use too; the core checks the role and counts wrong PINs
// per operator.

test('a second supervisor signs in with 工号 and PIN, keyboard only; a staff 工号 is refused; lockout is per operator', async ({
  page,
}) => {
  const session = (await invoke(page, 'supervisor.pin.set', { pin: '246810' })).value?.token;
  for (const [staffNo, name, role, pin] of [
    ['A017', '王芳', 'staff', '135790'],
    ['S002', '陈主管', 'supervisor', '975310'],
  ]) {
    await invoke(page, 'operators.add', { session, operator: { staffNo, name, role, pin } });
  }
  await invoke(page, 'supervisor.lock', { session });
  await page.reload();

  const open = async () => {
    await page.getByTestId('supervisor-entry').click();
    await expect(page.getByTestId('pin-staff-no')).toBeFocused();
  };
  const signIn = async (staffNo: string, pin: string) => {
    await typeByHand(page, staffNo);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('pin-input')).toBeFocused();
    await typeByHand(page, pin);
    await page.keyboard.press('Enter');
  };

  // A staff member's right PIN does not open supervisor mode.
  await open();
  await signIn('A017', '135790');
  await expect(page.getByTestId('pin-error')).toContainText('工号或 PIN 错误');
  await expect(page.getByTestId('supervisor-screen')).toHaveCount(0);
  // Esc leaves the dialog.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Five wrong PINs lock 0001, and only 0001.
  await open();
  await typeByHand(page, '0001');
  await page.keyboard.press('Enter');
  for (let i = 0; i < 5; i += 1) {
    await page.getByTestId('pin-input').fill('111111');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('pin-error')).toBeVisible();
    await expect(page.getByTestId('pin-input')).toHaveValue('');
  }
  await expect(page.getByTestId('pin-error')).toContainText('已锁定');
  await page.getByTestId('pin-input').fill('246810');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pin-error')).toContainText('已锁定');
  await page.keyboard.press('Escape');

  await open();
  await signIn('S002', '975310');
  await expect(page.getByTestId('supervisor-screen')).toBeVisible();
});
