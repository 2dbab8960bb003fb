import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A vendor's local ID-card service as such services answer (华视/神思 style): a result flag, a
 * message, and the card's content with the number among the name, birth date and photo. Polled
 * over HTTP GET, or pushed every `pushMs` to each WebSocket client.
 */
export interface StandInService {
  port: number;
  httpUrl: string;
  wsUrl: string;
  placeCard(idNumber: string, name: string): void;
  liftCard(): void;
  /** The next `count` answers with a card carry a cut-off number, as a bad read does. */
  misread(count: number): void;
  /** The next answers are this raw text (not JSON, an error page…). */
  answerRaw(text: string | null): void;
  /** The service process stops: connections refused, sockets closed. */
  unplug(): Promise<void>;
  replug(): Promise<void>;
  requests(): number;
  close(): Promise<void>;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header =
    payload.length < 126
      ? Buffer.from([0x81, payload.length])
      : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload]);
}

export async function startStandInService(pushMs = 100): Promise<StandInService> {
  let card: { idNumber: string; name: string } | null = null;
  let misreads = 0;
  let raw: string | null = null;
  let count = 0;
  let server: Server | null = null;
  let port = 0;
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();

  const answer = (): string => {
    count++;
    if (raw !== null) return raw;
    if (!card) return JSON.stringify({ resultFlag: -1, errorMsg: '未放卡或卡片放置不正确' });
    const idNumber = misreads > 0 ? card.idNumber.slice(0, 12) : card.idNumber;
    if (misreads > 0) misreads--;
    return JSON.stringify({
      resultFlag: 0,
      errorMsg: '',
      resultContent: { partyName: card.name, bornDay: '19491231', certNumber: idNumber, identityPic: 'Qk0AAAA=' },
    });
  };

  const listen = () =>
    new Promise<void>((resolve) => {
      const next = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        response.end(answer());
      });
      next.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      next.on('upgrade', (request, socket: Socket) => {
        const key = String(request.headers['sec-websocket-key'] ?? '');
        const accept = createHash('sha1')
          .update(key + WS_GUID)
          .digest('base64');
        socket.write(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
        );
        clients.add(socket);
        socket.on('data', () => {});
        socket.on('close', () => clients.delete(socket));
        socket.on('error', () => clients.delete(socket));
      });
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as { port: number }).port;
        server = next;
        resolve();
      });
    });

  const shut = () =>
    new Promise<void>((resolve) => {
      for (const socket of [...sockets, ...clients]) socket.destroy();
      clients.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });

  await listen();
  const pusher = setInterval(() => {
    for (const client of clients) client.write(textFrame(answer()));
  }, pushMs);
  return {
    get port() {
      return port;
    },
    get httpUrl() {
      return `http://127.0.0.1:${port}/api/readcard`;
    },
    get wsUrl() {
      return `ws://127.0.0.1:${port}/ws`;
    },
    placeCard: (idNumber, name) => {
      card = { idNumber, name };
    },
    liftCard: () => {
      card = null;
    },
    misread: (n) => {
      misreads = n;
    },
    answerRaw: (text) => {
      raw = text;
    },
    unplug: shut,
    replug: listen,
    requests: () => count,
    close: async () => {
      clearInterval(pusher);
      await shut();
    },
  };
}
