// Where to go after signing in. Only paths on this site are followed, so a crafted
// "/sign-in?next=https://elsewhere" link cannot send someone off-site after they sign in.

export const SIGN_IN_PATH = "/sign-in";

/** The sign-in address that returns to `href` (path, query and fragment) afterwards. */
export function signInPathFor(href: string): string {
  return href === "/" || href === "" ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(href)}`;
}

/** The `next` parameter if it is a path on this site (and not the sign-in page itself), else "/". */
export function safeNextPath(next: string | null | undefined): string {
  if (next === null || next === undefined) return "/";
  // "//host" and "/\host" are protocol-relative URLs to another site in browsers.
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // Control characters (a tab or newline inside "/\t/host") can also turn into another site.
  if (/\p{Cc}/u.test(next)) return "/";
  if (next === SIGN_IN_PATH || next.startsWith(`${SIGN_IN_PATH}?`) || next.startsWith(`${SIGN_IN_PATH}#`)) return "/";
  return next;
}
