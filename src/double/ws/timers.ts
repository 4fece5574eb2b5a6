// Timers owned by one WebSocket connection, all cleared together when it closes.

export interface Timers {
  after(ms: number, fn: () => void): void;
  every(ms: number, fn: () => void): void;
  clear(): void;
}

export function createTimers(): Timers {
  const timeouts = new Set<NodeJS.Timeout>();
  const intervals = new Set<NodeJS.Timeout>();
  let cleared = false;
  return {
    after(ms, fn) {
      if (cleared) return;
      const t = setTimeout(() => {
        timeouts.delete(t);
        fn();
      }, ms);
      timeouts.add(t);
    },
    every(ms, fn) {
      if (!cleared) intervals.add(setInterval(fn, ms));
    },
    clear() {
      cleared = true;
      for (const t of timeouts) clearTimeout(t);
      for (const t of intervals) clearInterval(t);
      timeouts.clear();
      intervals.clear();
    },
  };
}
