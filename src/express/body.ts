/**
 * Reads a request's JSON body: only `application/json` (UTF-8, not compressed), at most
 * `bodyLimit` bytes, an object at the top. Every refusal is an `HttpError` in the router's error
 * shape, so the app needs no error handler of its own. Done here rather than with
 * `express.json()` so that Express 4 and 5 behave the same.
 *
 * @internal
 * @module
 */
import type { Request } from 'express';
import { HttpError } from './errors.js';

/** Whether the request carries a body (a non-zero `Content-Length`, or chunked). */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

function checkContentType(req: Request): void {
  const header = req.headers['content-type'];
  const [type = '', ...params] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  const charset = params.find((param) => param.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (type !== 'application/json' || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new HttpError(
      415,
      'ERR_UNSUPPORTED_MEDIA_TYPE',
      `Request bodies must be JSON (Content-Type: application/json, UTF-8); got ${JSON.stringify(header ?? '')}`,
    );
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') {
    throw new HttpError(415, 'ERR_UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${JSON.stringify(encoding)} is not supported`);
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'ERR_PAYLOAD_TOO_LARGE', `Request body is larger than ${limit} bytes`, { limit });
}

/** Reads the raw body, refusing it once it passes `limit` bytes. */
function readRaw(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      // Drain what the client sends (so it reads our answer rather than a reset), but keep nothing.
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        chunks.length = 0;
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new HttpError(400, 'ERR_REQUEST_ABORTED', `The request body could not be read: ${error.message}`));
    };
    const onAborted = (): void => onError(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * The parsed JSON body of a write request, or `undefined` when it has none.
 * @throws HttpError 415 (not JSON), 413 (too large), 400 `ERR_MALFORMED_JSON`
 */
export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  // A body parser of the app may have read the stream already (`express.json()` mounted first):
  // body-parser 1 marks it with `_body`, body-parser 2 leaves a finished stream.
  const parsed = (req as { _body?: unknown })._body === true || req.readableEnded;
  if (!hasBody(req)) {
    // Forms always send a Content-Type, even when empty: refuse any that is not JSON (CSRF).
    if (req.headers['content-type'] !== undefined) checkContentType(req);
    return undefined;
  }
  checkContentType(req);
  if (parsed) return req.body as unknown;
  const raw = await readRaw(req, limit);
  if (raw.length === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw);
  } catch {
    throw new HttpError(400, 'ERR_MALFORMED_JSON', 'Request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'unparsable';
    throw new HttpError(400, 'ERR_MALFORMED_JSON', `Request body is not valid JSON: ${reason}`);
  }
}
