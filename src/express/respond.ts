/**
 * Small response and handler helpers shared by the routes.
 *
 * @internal
 * @module
 */
import type { NextFunction, Request, Response } from 'express';

/** An async route handler. */
export type Handler = (req: Request, res: Response) => Promise<void>;

/** Adapts an async handler for Express 4 (which ignores rejected promises) and 5 alike. */
export function handle(fn: Handler): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    fn(req, res).catch(next);
  };
}

/** Writes a JSON response, not cached, not sniffed. */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** Drops the keys whose value is `undefined` (for `exactOptionalPropertyTypes` targets). */
export function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
