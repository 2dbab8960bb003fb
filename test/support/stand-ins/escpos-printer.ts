import iconv from 'iconv-lite';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** One slip as the printer understood it: from ESC @ to the cut. */
export interface PrintedSlip {
  /** Text lines decoded from GB18030, as the printer's font would show them. */
  lines: string[];
  /** QR codes stored (GS ( k fn 180) and printed (fn 181), with the model, size and error level set before. */
  qr: { data: string; model: number; moduleSize: number; errorLevel: number; printed: boolean }[];
  /** GS V's mode byte (66 = feed then partial cut), null if the stream ended without a cut. */
  cut: number | null;
  chineseMode: boolean;
}

/**
 * How the stand-in behaves, as real printers do: prints; out of paper (answers status, prints
 * nothing); accepts the connection but never reads a byte (a hung printer); or off (port closed).
 */
export type PrinterMode = 'ready' | 'paper_out' | 'deaf' | 'off';

/**
 * A stand-in ESC/POS network printer on 127.0.0.1 (raw TCP, as on port 9100). It parses the byte
 * stream command by command, answers DLE EOT status requests in real time as Epson documents
 * them (fixed bits 1 and 4 on; paper end in n=2 bit 5 and n=4 bits 5–6), and records each slip.
 * An unknown command is recorded as an error, so a test fails on bytes a real printer would misread.
 */
export class EscPosPrinter {
  readonly slips: PrintedSlip[] = [];
  readonly errors: string[] = [];
  statusRequests = 0;
  connections = 0;
  mode: PrinterMode = 'ready';
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  /**
   * Reads a byte stream that reached the printer another way (a job spooled by Windows) as this
   * printer would: its slips and errors, without a network port.
   */
  static parse(bytes: Buffer): EscPosPrinter {
    const printer = new EscPosPrinter();
    const parser = new StreamParser(printer, () => undefined);
    parser.feed(bytes);
    parser.end();
    return printer;
  }

  static async start(): Promise<EscPosPrinter> {
    const printer = new EscPosPrinter();
    await printer.listen(0);
    return printer;
  }

  /** Powers the printer off (its port refuses connections) or on again at the same port. */
  async setMode(mode: PrinterMode): Promise<void> {
    const wasOff = this.mode === 'off';
    this.mode = mode;
    if (mode === 'off' && !wasOff) await this.stopListening();
    if (mode !== 'off' && wasOff) await this.listen(this.port);
  }

  private listen(port: number): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve) =>
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      }),
    );
  }

  private async stopListening(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  close(): Promise<void> {
    return this.stopListening();
  }

  private accept(socket: Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    // A hung printer: the connection is taken, nothing is ever read, so nothing is answered.
    if (this.mode === 'deaf') {
      socket.pause();
      return;
    }
    const parser = new StreamParser(this, (byte) => socket.write(Buffer.from([byte])));
    socket.on('data', (chunk: Buffer) => parser.feed(chunk));
    socket.on('end', () => {
      parser.end();
      socket.end();
    });
  }

  /** The status byte for DLE EOT n in the current mode. */
  statusByte(n: number): number {
    const base = 0x12;
    const paperOut = this.mode === 'paper_out';
    if (n === 2) return base | (paperOut ? 0x20 : 0);
    if (n === 4) return base | (paperOut ? 0x60 : 0);
    return base;
  }
}

class StreamParser {
  private buffer = Buffer.alloc(0);
  private slip: PrintedSlip | undefined;
  private text: number[] = [];
  private qrSetup = { model: 0, moduleSize: 0, errorLevel: 0 };

  constructor(
    private readonly printer: EscPosPrinter,
    private readonly answer: (byte: number) => void,
  ) {}

  feed(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const used = this.step(this.buffer);
      if (used === 0) return;
      this.buffer = this.buffer.subarray(used);
    }
  }

  end(): void {
    if (this.buffer.length > 0) this.printer.errors.push(`stream ended inside a command: ${this.buffer.toString('hex')}`);
    if (this.slip && this.slip.cut === null) this.printer.errors.push('a slip ended without a cut');
  }

  private current(): PrintedSlip {
    if (!this.slip) {
      this.printer.errors.push('printing before ESC @');
      this.begin();
    }
    return this.slip!;
  }

  private begin(): void {
    this.slip = { lines: [], qr: [], cut: null, chineseMode: false };
  }

  private flushLine(): void {
    this.current().lines.push(iconv.decode(Buffer.from(this.text), 'gb18030'));
    this.text = [];
  }

  /** Consumes one command or text byte from the front; 0 when more bytes are needed. */
  private step(b: Buffer): number {
    if (b.length === 0) return 0;
    const c = b[0]!;
    const need = (n: number) => (b.length >= n ? n : 0);
    if (c === 0x10) {
      if (!need(3)) return 0;
      if (b[1] !== 0x04) return this.unknown(b, 2);
      this.printer.statusRequests += 1;
      this.answer(this.printer.statusByte(b[2]!));
      return 3;
    }
    if (c === 0x0a) {
      this.flushLine();
      return 1;
    }
    if (c === 0x1b) {
      if (!need(2)) return 0;
      const op = b[1]!;
      if (op === 0x40) {
        this.begin();
        return 2;
      }
      // ESC a n (align), ESC E n (bold), ESC d n (feed n lines)
      if (op === 0x61 || op === 0x45 || op === 0x64) return need(3);
      return this.unknown(b, 2);
    }
    if (c === 0x1c) {
      if (!need(2)) return 0;
      if (b[1] === 0x26) {
        this.current().chineseMode = true;
        return 2;
      }
      return this.unknown(b, 2);
    }
    if (c === 0x1d) {
      if (!need(2)) return 0;
      const op = b[1]!;
      if (op === 0x21) return need(3); // GS ! n: character size
      if (op === 0x56) {
        if (!need(3)) return 0;
        const m = b[2]!;
        const length = m === 0x41 || m === 0x42 ? 4 : 3;
        if (!need(length)) return 0;
        if (this.text.length) this.flushLine();
        this.current().cut = m;
        this.printer.slips.push(this.slip!);
        this.slip = undefined;
        return length;
      }
      if (op === 0x28 && b[2] === 0x6b) return this.qr(b);
      return this.unknown(b, 2);
    }
    if (c < 0x20) return this.unknown(b, 1);
    this.text.push(c);
    return 1;
  }

  /** GS ( k pL pH cn fn …: the QR function set (cn = 49). */
  private qr(b: Buffer): number {
    if (b.length < 7) return 0;
    const length = b[3]! + b[4]! * 256;
    if (b.length < 5 + length) return 0;
    const cn = b[5]!;
    const fn = b[6]!;
    const params = b.subarray(7, 5 + length);
    if (cn !== 0x31) return this.unknown(b, 5 + length);
    const slip = this.current();
    if (fn === 0x41) this.qrSetup.model = params[0]!;
    else if (fn === 0x43) this.qrSetup.moduleSize = params[0]!;
    else if (fn === 0x45) this.qrSetup.errorLevel = params[0]!;
    else if (fn === 0x50 && params[0] === 0x30) {
      slip.qr.push({ data: params.subarray(1).toString('utf8'), ...this.qrSetup, printed: false });
    } else if (fn === 0x51 && params[0] === 0x30) {
      const stored = slip.qr.at(-1);
      if (stored) stored.printed = true;
      else this.printer.errors.push('QR printed before any was stored');
    } else return this.unknown(b, 5 + length);
    return 5 + length;
  }

  private unknown(b: Buffer, length: number): number {
    this.printer.errors.push(`unknown command ${b.subarray(0, Math.min(length, b.length)).toString('hex')}`);
    return Math.min(length, b.length);
  }
}
