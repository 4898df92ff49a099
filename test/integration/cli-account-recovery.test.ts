// `watchword user recoveries | approve-recovery | deny-recovery` and `watchword recovery-method
// show | remove | cancel-recovery`, against a real `watchword serve` with a real SMS gateway
// (the test's receiver): an administrator lists a recovery a member opened from the sign-in's second
// step and approves or denies it by id or by name; the member sees their method by its hint only;
// bad input (unknown id, not an administrator, outside sudo mode) is one line on stderr and a
// non-zero exit code.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as OTPAuth from "otpauth";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import type { AccountRecovery, AccountRecoveryList, OwnRecoveryMethod } from "../../src/contract/recovery-method.js";
import { openDatabase } from "../../src/store/connect.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { expectFailure, json } from "../support/cli-results.js";
import { startSmsReceiver, type SmsReceiver } from "../support/sms-receiver.js";
import { hasAuthenticator, nextAuthenticatorCode, signedInApiClient } from "../support/admin-authenticator.js";

const PASSWORD = "amber-quartz-meadow-1977";
const PHONE = "+33612345678";

describe("watchword account-recovery verbs over the API", () => {
  let root: string;
  let dataDir: string;
  let server: ServeProcess;
  let sms: SmsReceiver;
  let adminEnv: Record<string, string>;
  let bobEnv: Record<string, string>;
  const watchword = (args: string[], env = adminEnv) => runCli(args, { env });
  const api = (token?: string): WatchwordClient => createClient({ baseUrl: server.url, ...(token === undefined ? {} : { token }) });
  /** The code of the last text that carried one (a notice may arrive after it). */
  const lastCode = (): string => /^Watchword code: (\d{6})\./.exec(sms.inbox.findLast((m) => m.text.startsWith("Watchword code:"))!.text)![1]!;

  /** bob, who lost his authenticator app, proves his number from the sign-in's second step. */
  async function openRecovery(): Promise<AccountRecovery> {
    const client = api();
    const first = await client.startSignIn({ username: "bob", password: PASSWORD, client: "cli" });
    if (first.status !== "mfa_required") throw new Error("expected a second step");
    const challenge = { client: "cli" as const, challengeToken: first.challengeToken! };
    const sent = await client.startRecovery(challenge);
    return client.confirmRecovery({ ...challenge, attemptToken: sent.attemptToken, code: lastCode() });
  }

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-cli-recovery-"));
    dataDir = path.join(root, "data");
    sms = await startSmsReceiver();
    for (const [name, role] of [["alice", "admin"], ["bob", "member"]] as const) {
      expect((await runCli(["user", "add", name, "--role", role, "--password-stdin", "--data-dir", dataDir], { input: PASSWORD })).code).toBe(0);
    }
    server = await startServe(["--data-dir", dataDir], cleanEnv({ WATCHWORD_SMS_URL: sms.url, WATCHWORD_SMS_TOKEN: "gateway-token-5b8e1f0c" }));
    // The administrator among others signs in with the test authenticator (admin-authenticator.ts).
    const signIn = async (username: string) => (await signedInApiClient(server.url, username, PASSWORD)).token;
    adminEnv = cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: await signIn("alice"), WATCHWORD_CONFIG: path.join(root, "config.json") });
    const bobToken = await signIn("bob");
    bobEnv = { ...adminEnv, WATCHWORD_TOKEN: bobToken };
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await sms?.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  it("explains every verb with an example", async () => {
    for (const verb of ["recoveries", "approve-recovery", "deny-recovery"]) {
      expect((await watchword(["user", verb, "--help"])).stdout, verb).toMatch(/Examples?:\n {2}\$ watchword user /);
    }
    for (const verb of ["show", "remove", "cancel-recovery"]) {
      expect((await watchword(["recovery-method", verb, "--help"])).stdout, verb).toMatch(/Examples?:\n {2}\$ watchword recovery-method /);
    }
    expect((await watchword(["--help"])).stdout).toMatch(/recovery-method/);
  });

  it("shows a member their recovery method by its hint only", async () => {
    expect(await watchword(["recovery-method", "show"], bobEnv)).toMatchObject({ code: 0, stderr: "", stdout: "No recovery method yet: add one on Sign-in & security in the web app.\n" });
    // bob adds his number (the fresh sign-in is in sudo mode) and an authenticator app, over the API as the web does.
    const bob = api(bobEnv.WATCHWORD_TOKEN);
    const sent = await bob.startRecoveryMethod({ channel: "sms", address: PHONE });
    await bob.confirmRecoveryMethod({ attemptToken: sent.attemptToken, code: lastCode() });
    const enrolment = await bob.startTotpEnrolment();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.manualKey.replaceAll(" ", "")) });
    await bob.confirmTotpEnrolment(enrolment.factorId, { code: totp.generate() });

    const text = await watchword(["recovery-method", "show"], bobEnv);
    expect(text).toMatchObject({ code: 0, stderr: "" });
    expect(text.stdout).toMatch(/^Recovery method: \+33•••78 \(text message\), confirmed \d{4}-\d\d-\d\dT[\d:.]+Z\.\n$/);
    const own = json<OwnRecoveryMethod>(await watchword(["recovery-method", "show", "--json"], bobEnv));
    expect(own).toMatchObject({ method: { channel: "sms", hint: "+33•••78" }, channels: { email: false, sms: true }, recovery: null });
    expect(JSON.stringify(own) + text.stdout).not.toContain("612345");
  });

  it("lists, denies by name and approves by id the recoveries waiting", async () => {
    expect(await watchword(["user", "recoveries"])).toMatchObject({ code: 0, stderr: "", stdout: "No account recoveries are waiting.\n" });
    const first = await openRecovery();
    const table = (await watchword(["user", "recoveries"])).stdout.split("\n");
    expect(table[0]).toMatch(/^USERNAME\s+STATUS\s+REQUESTED\s+READY AT\s+ID$/);
    expect(table[1]).toMatch(new RegExp(`^bob\\s+pending\\s+\\S+Z\\s+${first.readyAt.replace(/[.]/g, "\\.")}\\s+${first.id}$`));
    expect(json<AccountRecoveryList>(await watchword(["user", "recoveries", "--json"])).recoveries).toEqual([first]);
    // The owner sees it on his own account too.
    expect((await watchword(["recovery-method", "show"], bobEnv)).stdout).toContain("A recovery of this account is under way");

    expect(await watchword(["user", "deny-recovery", "BOB"])).toMatchObject({ code: 0, stderr: "", stdout: 'Denied the account recovery of "bob"; their sign-in methods stay as they were.\n' });
    expect(json<AccountRecoveryList>(await watchword(["user", "recoveries", "--json"])).recoveries).toEqual([]);

    const second = await openRecovery();
    const approved = json<AccountRecovery>(await watchword(["user", "approve-recovery", second.id, "--json"]));
    expect(approved).toMatchObject({ id: second.id, username: "bob", status: "approved", isReady: true });
    expect((await watchword(["user", "recoveries"])).stdout).toMatch(/\nbob\s+approved, the user may finish it\s/);
    // Approved already: it cannot be approved twice, but it can still be denied.
    expectFailure(await watchword(["user", "approve-recovery", second.id]), 1, /There is no such account recovery, or it has ended\./);
    expect((await watchword(["user", "deny-recovery", second.id])).stdout).toBe('Denied the account recovery of "bob"; their sign-in methods stay as they were.\n');
  });

  it("lets the owner cancel a recovery he did not ask for", async () => {
    await openRecovery();
    expect(await watchword(["recovery-method", "cancel-recovery"], bobEnv)).toMatchObject({ code: 0, stderr: "", stdout: "Cancelled the recovery of your account. Someone knew your password: change it, and tell an administrator.\n" });
    expect(json<OwnRecoveryMethod>(await watchword(["recovery-method", "show", "--json"], bobEnv)).recovery).toBeNull();
    expectFailure(await watchword(["recovery-method", "cancel-recovery"], bobEnv), 1, /There is no such account recovery, or it has ended\./);
  });

  it("says what is wrong in one line with a non-zero exit code", async () => {
    expectFailure(await watchword(["user", "approve-recovery", "00000000-0000-4000-8000-000000000000"]), 1, /There is no such account recovery, or it has ended\./);
    expectFailure(await watchword(["user", "deny-recovery", "nobody"]), 1, /There is no such account recovery, or it has ended\./);
    expectFailure(await watchword(["user", "approve-recovery", "x".repeat(65)]), 2, /"id" must be at most 64 characters long/);
    expectFailure(await watchword(["user", "recoveries"], bobEnv), 1, /Only an administrator may approve or deny an account recovery\./);
    expectFailure(await watchword(["user", "approve-recovery", "bob"], bobEnv), 1, /Only an administrator may approve or deny an account recovery\./);
    expectFailure(await watchword(["user", "recoveries"], cleanEnv({ WATCHWORD_CONFIG: path.join(root, "none.json") })), 1, /Not signed in/);
    // Removing the method needs sudo mode (bob's sign-in opened it): past the window the line says what to run.
    expect(await watchword(["recovery-method", "remove"], bobEnv)).toMatchObject({ code: 0, stderr: "", stdout: "Removed your recovery method: if you lose your second factors, an administrator must help you back in.\n" });
    const connection = openDatabase({ databaseUrl: undefined, dataDir });
    try {
      await sql`update sessions set reauthenticated_at = null`.execute(connection.db);
    } finally {
      await connection.close();
    }
    expectFailure(await watchword(["recovery-method", "remove"]), 1, /Run `watchword reauthenticate`, then the command again\./);
    // The administrator has a second factor (every administrator must, once others use the vault): sudo mode asks for its code too.
    expect(hasAuthenticator(server.url, "alice")).toBe(true);
    const reauthenticate = await runCli(["reauthenticate", "--password-stdin", "--otp-stdin"], { env: adminEnv, input: `${PASSWORD}\n${await nextAuthenticatorCode(server.url, "alice")}\n` });
    expect(reauthenticate.code).toBe(0);
    expectFailure(await watchword(["recovery-method", "remove"]), 1, /This account has no recovery method/);
  });
});
