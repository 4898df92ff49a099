// Secret material in transit through the code. Printing, logging or serialising a Secret
// shows "[redacted]"; the bytes come out only through reveal(), called where they are used.
import { inspect } from "node:util";

const REDACTED = "[redacted]";

export class Secret {
  readonly #bytes: Buffer;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  static fromBytes(bytes: Uint8Array): Secret {
    return new Secret(Buffer.from(bytes));
  }

  static fromUtf8(text: string): Secret {
    return new Secret(Buffer.from(text, "utf8"));
  }

  get length(): number {
    return this.#bytes.length;
  }

  /** The raw bytes. Call as late as possible, at the HMAC, hash or seal that needs them. */
  reveal(): Buffer {
    return this.#bytes;
  }

  revealUtf8(): string {
    return this.#bytes.toString("utf8");
  }

  /** Overwrites the bytes in memory; the Secret is empty afterwards. */
  destroy(): void {
    this.#bytes.fill(0);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
