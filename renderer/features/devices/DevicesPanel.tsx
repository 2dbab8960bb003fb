import { CameraPanel } from './CameraPanel';
import { PrinterPanel } from './PrinterPanel';
import { ReaderPanel } from './ReaderPanel';
import { ScannerPanel } from './ScannerPanel';
import './devices.css';

/** Supervisor → devices: each of the window's devices with its status, last error and a test. */
export function DevicesPanel() {
  return (
    <div className="devices-page" data-testid="devices-page">
      <ReaderPanel />
      <ScannerPanel />
      <CameraPanel />
      <PrinterPanel />
    </div>
  );
}
