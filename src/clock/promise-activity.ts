import { promiseHooks } from "node:v8";

/**
 * Tells whether promise continuations may be waiting: set when any promise is
 * created or settles, or a microtask is queued, and cleared by whoever drains
 * them. The simulator drains only then, not at every instant: most programs
 * never touch a promise, and a fleet whose devices keep apart in time has as
 * many instants as turns.
 */
export class PromiseActivity {
  seen = true;
  private readonly stops: (() => void)[];

  constructor() {
    const mark = () => {
      this.seen = true;
    };
    const init = promiseHooks.onInit(mark) as () => void; // @types/node says Function
    const settled = promiseHooks.onSettled(mark) as () => void;
    this.stops = [init, settled, watchQueueMicrotask(mark)];
  }

  stop(): void {
    for (const stop of this.stops) stop();
  }
}

/** queueMicrotask touches no promise, so no hook sees it: the global is wrapped while anyone watches. */
const watchers = new Set<() => void>();
let unwrapped: typeof queueMicrotask | undefined;

function watchQueueMicrotask(mark: () => void): () => void {
  if (watchers.size === 0) {
    const original = globalThis.queueMicrotask;
    unwrapped = original;
    globalThis.queueMicrotask = (callback) => {
      for (const watcher of watchers) watcher();
      original(callback);
    };
  }
  watchers.add(mark);
  return () => {
    watchers.delete(mark);
    if (watchers.size === 0 && unwrapped !== undefined) globalThis.queueMicrotask = unwrapped;
  };
}
