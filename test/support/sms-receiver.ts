// A real HTTP counterpart of an SMS gateway for the tests: it takes the JSON POST of
// services/sms-gateway.ts, keeps what arrived (with the bearer token it came with), and answers
// 202, or the status a test asks for.
import http from "node:http";
import type net from "node:net";

export interface ReceivedText {
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly to: string;
  readonly text: string;
  readonly sender: string | undefined;
}

export interface SmsReceiver {
  readonly url: string;
  readonly inbox: ReceivedText[];
  /** The status the next messages get (202 by default). */
  answerWith(status: number): void;
  close(): Promise<void>;
}

export async function startSmsReceiver(): Promise<SmsReceiver> {
  const inbox: ReceivedText[] = [];
  let status = 202;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (status < 300) {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { to: string; text: string; sender?: string };
        inbox.push({ authorization: request.headers.authorization, contentType: request.headers["content-type"], to: body.to, text: body.text, sender: body.sender });
      }
      response.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/messages`,
    inbox,
    answerWith: (next) => {
      status = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
