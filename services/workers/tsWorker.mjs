// A worker thread started from the TypeScript sources (tsx, the tests): register tsx's loader in
// this thread, then load the worker module named in workerData.entry. The compiled build (dist/)
// starts the compiled worker module directly and never needs this file.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
