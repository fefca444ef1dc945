/**
 * W8's floor for the per-run overhead: a plain `worker_threads` Worker that answers each message
 * at once, so one round trip is the least any executor in worker threads can cost.
 */
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => parentPort.postMessage({ status: 'success', value: 1 }));
