// The page's one idea of the server's time: the offset learned from the last code replies, and a
// tick on every whole server second that countdowns re-render on (one timer for the whole page).
import { useSyncExternalStore } from "react";
import { serverSeconds } from "./code-clock.js";

let offset = 0;
let second = Math.floor(serverSeconds(Date.now(), offset));
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

export const clockOffsetNow = (): number => offset;
export const serverNow = (): number => serverSeconds(Date.now(), offset);

function publish(): void {
  second = Math.floor(serverNow());
  for (const listener of listeners) listener();
}

function schedule(): void {
  const now = serverNow();
  // A few ms past the boundary, so the new second has surely begun when the page re-renders.
  const delay = (Math.floor(now) + 1 - now) * 1000 + 5;
  timer = setTimeout(() => {
    publish();
    schedule();
  }, delay);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) {
    second = Math.floor(serverNow());
    schedule();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) clearTimeout(timer);
  };
}

export function setClockOffset(next: number): void {
  if (Math.abs(next - offset) < 0.05) return;
  offset = next;
  if (listeners.size > 0) {
    clearTimeout(timer);
    publish();
    schedule();
  }
}

/** The server's current whole second; the component re-renders when it changes. */
export function useServerSecond(): number {
  return useSyncExternalStore(subscribe, () => second);
}
