// A trivial bree job: signals completion at once (bree then terminates the worker).
import { parentPort } from 'node:worker_threads';

parentPort?.postMessage('done');
