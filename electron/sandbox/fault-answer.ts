import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyEnvelope } from './envelope';
import type { Fault } from './faults';
import { writeJson } from './strict-json';

export const BUSY_DESCRIPTIONS: Readonly<Record<number, string>> = {
  2100001: '未知错误',
  2100004: '系统繁忙，此时请开发者稍候再试',
  2119002: '系统繁忙，请稍候再试',
  2119003: '请求太过频繁，请稍后再试',
};

export function sendJsonText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Answers one Douyin request, misbehaving as `fault` says. `process` runs the endpoint's rules
 * and returns the answer text; faults that stand for a lost answer run it first (the platform
 * did the work, only the answer went missing), the others never run it.
 */
export function answerWithFault(
  req: IncomingMessage,
  res: ServerResponse,
  fault: Fault | undefined,
  nowMs: number,
  process: () => string,
): void {
  switch (fault?.kind) {
    case 'error_code':
      return sendJsonText(
        res,
        200,
        writeJson(
          verifyEnvelope(
            nowMs,
            {},
            {
              errorCode: fault.errorCode,
              description: fault.description ?? BUSY_DESCRIPTIONS[fault.errorCode] ?? 'sandbox injected error',
              subDescription: fault.subDescription ?? '',
            },
          ),
        ),
      );
    case 'http_status':
      res.writeHead(fault.status, { 'content-type': 'text/html' });
      return void res.end(`<html><body><h1>${fault.status}</h1></body></html>`);
    case 'non_json':
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html><body>upstream error</body></html>');
    case 'drop_before_answer':
      if (!fault.afterProcessing) return void req.socket.destroy();
      break;
    case 'hold':
      if (!fault.afterProcessing) {
        setTimeout(() => {
          if (!req.socket.destroyed) sendJsonText(res, 200, process());
        }, fault.ms);
        return;
      }
  }

  const text = process();
  switch (fault?.kind) {
    case 'drop_before_answer':
      return void req.socket.destroy();
    case 'truncated_json': {
      const half = text.slice(0, Math.floor(text.length / 2));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(half) });
      return void res.end(half);
    }
    case 'drop_mid_body':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      // Let the partial body reach the client before the connection dies.
      setTimeout(() => req.socket.destroy(), 20);
      return;
    case 'hold':
      setTimeout(() => {
        if (!req.socket.destroyed) sendJsonText(res, 200, text);
      }, fault.ms);
      return;
  }
  sendJsonText(res, 200, text);
}
