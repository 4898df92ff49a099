// A message that outlives a page change, e.g. "Entry deleted" shown on My entries after the
// detail page that deleted it is gone. Shown once: the page that shows it clears it.
let pending: string | undefined;

export function setFlash(message: string): void {
  pending = message;
}

/** The pending message, left in place (React may render a page twice before it settles). */
export const peekFlash = (): string | undefined => pending;

export function clearFlash(): void {
  pending = undefined;
}
