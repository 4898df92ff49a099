// Push requests reach a registered browser two ways: an open app through the server-sent event
// stream at once, and a closed one by Web Push, checked at a local receiver that verifies the VAPID
// signature and decrypts the RFC 8291 payload with the subscription's private key.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { Secret } from "../../src/core/secret.js";
import { insertNewUser } from "../../src/services/accounts.js";
import type { CookieFetch } from "../support/cookie-fetch.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { startTestApp, type TestApp } from "../support/test-app.js";
import { startPushReceiver, verifyVapid } from "../support/web-push-receiver.js";

const PASSWORD = "plum-orbit-lantern-4417";

describe("delivery of push requests", () => {
  let db: TestDatabase;
  let server: TestApp;
  let receiver: Awaited<ReturnType<typeof startPushReceiver>>;
  let phone: WatchwordClient & { jar: CookieFetch };

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { allowHttpPushEndpoints: true });
    receiver = await startPushReceiver();
    for (const username of ["mia", "noa"]) await insertNewUser(server.vault.store.users, { username, role: "member", password: Secret.fromUtf8(PASSWORD) }, Date.now());
    phone = server.newClient();
    await phone.startSignIn({ username: "mia", password: PASSWORD });
    await phone.reauthenticate({ password: PASSWORD });
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
    await db?.drop();
  });

  async function signInRequest() {
    const cli = server.newClient();
    const first = await cli.startSignIn({ username: "mia", password: PASSWORD, client: "cli" });
    if (first.status !== "mfa_required") throw new Error("expected a challenge");
    return cli.requestPushApproval({ client: "cli", challengeToken: first.challengeToken! });
  }

  it("refuses a subscription that is not a URL with keys", async () => {
    for (const subscription of [{ endpoint: "ftp://127.0.0.1/x", keys: receiver.keys }, { endpoint: "not a url at all", keys: receiver.keys }, { endpoint: receiver.endpoint("a"), keys: { p256dh: "!!", auth: "x" } }]) {
      expect((await rejection(phone.registerPushDevice({ subscription }))).status).toBe(400);
    }
    expect((await phone.listPushDevices()).devices).toEqual([]);
  });

  it("sends a Web Push message signed with the VAPID key, its payload readable only with the subscription's key", async () => {
    const endpoint = receiver.endpoint("phone");
    const device = await phone.registerPushDevice({ subscription: { endpoint, keys: receiver.keys } });
    expect(device.hasWebPush).toBe(true);
    const { vapidPublicKey } = await phone.listPushDevices();
    const sent = await signInRequest();
    const outcomes = await server.app.pushDeliveriesSettled();
    expect(outcomes.map((o) => o.outcome)).toEqual(["delivered"]);
    const message = receiver.received.find((m) => m.path === "/push/phone")!;
    expect(message.headers["content-encoding"]).toBe("aes128gcm");
    expect(Number(message.headers.ttl)).toBe(120);
    expect(message.headers.urgency).toBe("high");
    const claims = verifyVapid(message.headers.authorization, { publicKey: vapidPublicKey, audience: new URL(endpoint).origin, now: Date.now() });
    expect(claims.sub).toMatch(/^mailto:/);
    const payload = JSON.parse(receiver.decrypt(message.body).toString("utf8")) as Record<string, unknown>;
    expect(payload).toMatchObject({ kind: "push_request", username: "mia", ip: "127.0.0.1", purpose: "sign_in" });
    expect(payload.choices).toContain(sent.number);
    const { requests } = await phone.listPushRequests();
    expect(payload.requestId).toBe(requests[0]!.id);
    // A forged signature is caught by the receiver's check: the check can fail.
    const forged = message.headers.authorization!.replace(/\.([\w-]{10})/, ".AAAAAAAAAA");
    expect(() => verifyVapid(forged, { publicKey: vapidPublicKey, audience: new URL(endpoint).origin, now: Date.now() })).toThrow();
  });

  it("forgets a subscription the push service says is gone", async () => {
    await phone.registerPushDevice({ subscription: { endpoint: receiver.endpoint("gone", 410), keys: receiver.keys } });
    await signInRequest();
    expect((await server.app.pushDeliveriesSettled()).map((o) => o.outcome)).toEqual(["gone"]);
    expect((await phone.listPushDevices()).devices.map((d) => d.hasWebPush)).toEqual([false]);
  });

  it("streams the waiting requests to an open app as server-sent events, at once", async () => {
    const aborted = new AbortController();
    const response = await phone.jar.fetch(`${server.url}/api/v1/account/push-requests/events`, { signal: aborted.signal });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const nextEvent = async () => {
      for (;;) {
        const end = text.indexOf("\n\n");
        if (end >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          if (block.startsWith("event: requests")) return JSON.parse(block.split("\ndata: ")[1]!) as { requests: { id: string; choices: number[] }[] };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("the stream ended");
        text += value;
      }
    };
    const first = await nextEvent();
    const started = Date.now();
    const sent = await signInRequest();
    let next = await nextEvent();
    while (!next.requests.some((r) => r.choices.includes(sent.number))) next = await nextEvent();
    // Sooner than the stream's periodic look (5 s): it came with the request.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(next.requests.length).toBeGreaterThanOrEqual(first.requests.length);
    aborted.abort();
    // A browser not registered for push gets a problem, not a stream.
    const stranger = server.newClient();
    await stranger.startSignIn({ username: "noa", password: PASSWORD });
    const refused = await stranger.jar.fetch(`${server.url}/api/v1/account/push-requests/events`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { key: string }).key).toBe("push_device_not_registered");
  });
});
