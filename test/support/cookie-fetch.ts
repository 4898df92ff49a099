// A fetch that keeps cookies like a browser would for one origin, so tests can use the real
// typed client against a real listening server. It also lets a test add headers to every request.
/** A fetch whose replies are whole Responses (a test may read .json()); the typed client takes it as its FetchLike. */
export type ResponseFetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface CookieFetch {
  readonly fetch: ResponseFetch;
  readonly cookies: Map<string, string>;
}

export function createCookieFetch(extraHeaders: Record<string, string> = {}): CookieFetch {
  const cookies = new Map<string, string>();
  const cookieFetch: ResponseFetch = async (input, init = {}) => {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
    if (cookies.size > 0) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1] ?? "") < Date.now()));
      if (expired || value === "") cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };
  return { fetch: cookieFetch, cookies };
}
