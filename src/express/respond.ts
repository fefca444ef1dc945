/**
 * Small response and handler helpers shared by the routes.
 *
 * @internal
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/** An async route handler. */
export type Handler = (req: Request, res: Response) => Promise<void>;

/** Adapts an async handler for Express 4 (which ignores rejected promises) and 5 alike. */
export function handle(fn: Handler): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    fn(req, res).catch(next);
  };
}

/**
 * Writes a JSON response (no body when `body` is `undefined`), not cached, not sniffed. Works on a
 * bare `ServerResponse`, before or without Express.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (body === undefined) {
    res.end();
    return;
  }
  const json = JSON.stringify(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** Drops the keys whose value is `undefined` (for `exactOptionalPropertyTypes` targets). */
export function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
