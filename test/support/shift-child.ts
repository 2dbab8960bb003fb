// A window where an operator signed in and scanned, left running until it is killed: the subject
// of the "shift left open by a crash" test. Prints "ready <shiftId>" once the scans are on disk.
import { createCore } from '../../electron/core/app';
import { dispatch } from '../../electron/core/dispatch';
import { plainCodec } from '../../electron/core/secrets/store';
import { connectPlatform } from '../../electron/platform/connect';

const dataDir = process.env.TICKET_WINDOW_DATA_DIR;
const { SHIFT_STAFF_NO: staffNo, SHIFT_PIN: pin, SHIFT_SCANS: scans = '' } = process.env;
if (!dataDir || !staffNo || !pin) throw new Error('TICKET_WINDOW_DATA_DIR, SHIFT_STAFF_NO and SHIFT_PIN are required');
const core = await createCore({ connectPlatform, dataDir, env: {}, secretCodec: plainCodec });
const signed = await dispatch(core.routes, 'shift.signIn', { staffNo, pin });
if (!signed.ok) throw new Error(JSON.stringify(signed.error));
for (const raw of scans.split(',').filter(Boolean)) await dispatch(core.routes, 'scan.submit', { raw, source: 'keyboard' });
process.stdout.write(`ready ${(signed.value as { state: { shiftId: number } }).state.shiftId}\n`);
