// Piscina entry point for worker modules written in TypeScript: registers tsx in this
// thread, then hands every task to the real module's default export.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const mod = await import(workerData.entry);
export default mod.default;
