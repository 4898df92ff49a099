// The CLI's HTTP transport: node:http (and node:https, loaded for https:// servers only) behind
// the typed client's swappable fetch. It follows no redirect: the bearer token goes to the address
// the person gave and nowhere else.
//
// Written by hand rather than using Node's built-in fetch because fetch (undici) compiles its
// WebAssembly HTTP parser in every process that uses it, and the process waits for that compiler
// at exit: ~80 ms of wall time, more than everything else a `watchword code` call does, in a
// command that scripts run in loops. node:http's parser is native and costs nothing to start.
import type HttpModule from "node:http";
import type HttpsModule from "node:https";
import { createRequire } from "node:module";
import type { FetchLike, FetchReply } from "../client/client.js";

// Required, not imported: on Node 24 an ESM import of node:http builds its namespace from every
// export, and its lazy WebSocket/MessageEvent getters then load undici (cli-start.test.ts).
const require = createRequire(import.meta.url);
const http = require("node:http") as typeof HttpModule;

/** As long as undici lets a server take to answer by default, so a hung server cannot hang a script forever. */
const ANSWER_TIMEOUT_MS = 300_000;

type RequestModule = Pick<typeof http, "request">;

const requestModuleFor = (url: URL): RequestModule => (url.protocol === "https:" ? (require("node:https") as typeof HttpsModule) : http);

function headerRecord(headers: RequestInit["headers"]): Record<string, string> {
  if (headers === undefined) return {};
  if (Array.isArray(headers)) return Object.fromEntries(headers as [string, string][]);
  if (typeof (headers as Headers).forEach === "function") {
    const record: Record<string, string> = {};
    (headers as Headers).forEach((value, name) => (record[name] = value));
    return record;
  }
  return { ...(headers as Record<string, string>) };
}

/** Wraps the error the way fetch does ("fetch failed", the reason as its cause), which the client reports. */
const failed = (cause: Error): TypeError => new TypeError("fetch failed", { cause });

export const nodeHttpFetch: FetchLike = async (input, init = {}) => {
  const url = new URL(input);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw failed(new Error(`${url.protocol} is not http: or https:`));
  const body = typeof init.body === "string" ? Buffer.from(init.body, "utf8") : undefined;
  if (init.body !== undefined && init.body !== null && body === undefined) throw failed(new Error("only text bodies can be sent"));
  const headers = headerRecord(init.headers);
  if (body !== undefined) headers["content-length"] = String(body.length);
  const { request } = requestModuleFor(url);
  return new Promise<FetchReply>((resolve, reject) => {
    const outgoing = request(url, { method: init.method ?? "GET", headers, timeout: ANSWER_TIMEOUT_MS }, (incoming) => {
      // Resolved when the headers arrive; the body waits, paused, for text() or chunks() (an audit
      // export streams through chunks(), the reader's pace holding the server back).
      const status = incoming.statusCode ?? 0;
      const replyHeaders = incoming.headers;
      let text: Promise<string> | undefined;
      // Listened to at once: an error before anyone reads must not go unhandled.
      let broken: Error | undefined;
      incoming.on("error", (error) => (broken ??= error));
      // No body to wait for: drained at once, so the connection goes back to the agent and the process can exit.
      if (status === 204 || status === 304) incoming.resume();
      resolve({
        status,
        ok: status >= 200 && status < 300,
        statusText: incoming.statusMessage ?? "",
        headers: {
          get: (name: string) => {
            const value = replyHeaders[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
          },
        },
        text: () =>
          (text ??= new Promise<string>((resolveText, rejectText) => {
            if (broken !== undefined) return rejectText(failed(broken));
            const chunks: Buffer[] = [];
            incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
            incoming.on("error", (error) => rejectText(failed(error)));
            incoming.on("end", () => resolveText(Buffer.concat(chunks).toString("utf8")));
          })),
        chunks: () => incoming,
      });
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)));
    outgoing.on("error", (error) => reject(failed(error)));
    outgoing.end(body);
  });
};
