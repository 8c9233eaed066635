// Trains a dispatch model, or some cross-validation folds of one, off the calling thread (train-job.ts):
// the sources are TypeScript, loaded through tsx as the CLI's entry point does.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runWorkerJob } = await import('./train-job.ts');
parentPort.postMessage(await runWorkerJob(workerData));
