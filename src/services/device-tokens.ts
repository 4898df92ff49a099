// Device tokens (OWASP's "device cookies", Authentication Cheat Sheet): a browser or CLI that
// signed in to an account successfully gets a random token; its failed sign-ins then count
// against that token, not the account, so a stranger's failures can never lock a known device
// out. Tokens are 256-bit random, handed out once and stored only as SHA-256 hashes.
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { UserId } from "../core/ids.js";
import type { DeviceTokenStore } from "../store/device-tokens.js";
import type { SignInFailureStore } from "../store/sign-in-failures.js";

export const DEVICE_TOKEN_PREFIX = "ww_d_";
export const DEVICE_TOKEN_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;
/** Devices remembered per user; the least recently used go first. */
const DEVICES_PER_USER = 20;

export const hashDeviceToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export interface DeviceTokenService {
  /** The hash of `token` when it is a live device token of this user; undefined otherwise. */
  recognise(token: string | undefined, userId: UserId): Promise<string | undefined>;
  /** A new device token for the user (shown once). */
  issue(userId: UserId): Promise<{ token: string; expiresAt: number }>;
  /** Marks a recognised token as used now. */
  keep(tokenHash: string): Promise<void>;
  /** Spends a token and its failure count: the device counts as unknown from now on. */
  withdraw(tokenHash: string): Promise<void>;
}

export function createDeviceTokenService(deps: {
  deviceTokens: DeviceTokenStore;
  signInFailures: Pick<SignInFailureStore, "clearFailures">;
  clock: Clock;
}): DeviceTokenService {
  const { deviceTokens, signInFailures, clock } = deps;
  return {
    async recognise(token, userId) {
      if (token === undefined || !token.startsWith(DEVICE_TOKEN_PREFIX) || token.length > 100) return undefined;
      const tokenHash = hashDeviceToken(token);
      const record = await deviceTokens.findDeviceToken(tokenHash);
      if (record === undefined || record.userId !== userId || record.expiresAt <= clock.now()) return undefined;
      return tokenHash;
    },
    async issue(userId) {
      const now = clock.now();
      const token = DEVICE_TOKEN_PREFIX + randomBytes(32).toString("base64url");
      const expiresAt = now + DEVICE_TOKEN_LIFETIME_MS;
      await deviceTokens.insertDeviceToken({ tokenHash: hashDeviceToken(token), userId, createdAt: now, lastUsedAt: now, expiresAt });
      await deviceTokens.pruneDeviceTokens(userId, DEVICES_PER_USER, now);
      return { token, expiresAt };
    },
    async keep(tokenHash) {
      await deviceTokens.touchDeviceToken(tokenHash, clock.now());
    },
    async withdraw(tokenHash) {
      await deviceTokens.deleteDeviceToken(tokenHash);
      await signInFailures.clearFailures("device", tokenHash);
    },
  };
}
