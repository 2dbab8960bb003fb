import type { PrinterProblem } from '../../../shared/domain/printer';
import { PrintFailure } from './network-printer';

/**
 * Win32 error codes the spooler's calls end with (GetLastError after a FALSE or 0 return), as
 * the reasons the status shows. Codes not listed are a plain failed print, their number kept in
 * the detail for whoever looks it up.
 */
const BY_CODE = new Map<number, PrinterProblem>([
  [5, 'access_denied'], // ERROR_ACCESS_DENIED
  [21, 'not_ready'], // ERROR_NOT_READY
  [28, 'paper_out'], // ERROR_OUT_OF_PAPER
  [53, 'unreachable'], // ERROR_BAD_NETPATH: the PC sharing the printer is gone
  [64, 'unreachable'], // ERROR_NETNAME_DELETED
  [67, 'unreachable'], // ERROR_BAD_NET_NAME
  [121, 'timed_out'], // ERROR_SEM_TIMEOUT
  [1460, 'timed_out'], // ERROR_TIMEOUT
  [1722, 'spooler_unavailable'], // RPC_S_SERVER_UNAVAILABLE: the spooler service is stopped
  [1801, 'printer_not_found'], // ERROR_INVALID_PRINTER_NAME
  [1905, 'printer_not_found'], // ERROR_PRINTER_DELETED
  [3012, 'printer_not_found'], // ERROR_PRINTER_NOT_FOUND
]);

export function spoolerFailure(call: string, code: number): PrintFailure {
  return new PrintFailure(BY_CODE.get(code) ?? 'print_failed', `${call} failed: Win32 error ${code}`);
}

/**
 * PRINTER_STATUS_* flags (PRINTER_INFO_6, winspool.h) that stop a slip, in the order they are
 * reported. Sent to a paused or offline queue, a RAW job would wait in Windows where nobody
 * sees it and count as printed here; held back, it waits in our queue and the status says why.
 */
const REFUSING_STATUS: [number, PrinterProblem][] = [
  [0x00000004, 'printer_not_found'], // PENDING_DELETION
  [0x00000001, 'queue_paused'], // PAUSED
  [0x00000010, 'paper_out'], // PAPER_OUT
  [0x00400000, 'cover_open'], // DOOR_OPEN
  [0x00000008, 'printer_error'], // PAPER_JAM
  [0x00100000, 'printer_error'], // USER_INTERVENTION
  [0x00000080, 'not_ready'], // OFFLINE
  [0x00001000, 'not_ready'], // NOT_AVAILABLE
];

export function statusRefusal(flags: number): PrintFailure | undefined {
  const hit = REFUSING_STATUS.find(([flag]) => (flags & flag) !== 0);
  if (!hit) return undefined;
  return new PrintFailure(hit[1], `the Windows printer reports status 0x${flags.toString(16).padStart(8, '0')}`);
}
