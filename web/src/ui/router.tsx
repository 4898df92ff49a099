// A small History API router: the current location as React state, navigate(), and <Link>.
// The server answers every unknown path with index.html, so any path here can be loaded directly.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from "react";

const listeners = new Set<() => void>();
let hasNavigated = false;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

const currentHref = (): string => window.location.pathname + window.location.search + window.location.hash;

export interface Location {
  readonly pathname: string;
  readonly search: URLSearchParams;
  readonly hash: string;
  /** Path, query and fragment together, as navigate() takes them. */
  readonly href: string;
}

/** The current location; the component re-renders when it changes. */
export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, currentHref);
  const url = new URL(href, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams, hash: url.hash, href };
}

/** `keepScroll` for a change within the page (a filter), which should not jump to the top. */
export function navigate(to: string, options: { replace?: boolean; keepScroll?: boolean } = {}): void {
  if (to === currentHref()) return;
  hasNavigated = true;
  if (options.replace === true) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  if (options.keepScroll !== true) window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

/** True once the person has moved between pages, so a new page may take focus without stealing it on first load. */
export const isAfterNavigation = (): boolean => hasNavigated;

const isPlainLeftClick = (event: MouseEvent<HTMLAnchorElement>): boolean =>
  event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey && !event.defaultPrevented;

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> {
  readonly to: string;
  readonly children: ReactNode;
}

/** An ordinary link that moves within the app without reloading; new-tab clicks work as usual. */
export function Link({ to, onClick, children, ...rest }: LinkProps) {
  const follow = (event: MouseEvent<HTMLAnchorElement>): void => {
    onClick?.(event);
    if (!isPlainLeftClick(event) || (rest.target !== undefined && rest.target !== "_self")) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={follow} {...rest}>
      {children}
    </a>
  );
}
