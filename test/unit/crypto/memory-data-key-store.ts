// An in-memory DataKeyStore for keyring tests: unique versions like the real table, and copies
// in and out so a test sees exactly what was stored.
import type { DataKeyRecord, DataKeyStore } from "../../../src/crypto/keyring.js";

export class MemoryDataKeyStore implements DataKeyStore {
  readonly records: DataKeyRecord[];
  inserts = 0;

  constructor(records: DataKeyRecord[] = []) {
    this.records = records.map(copy);
  }

  async listDataKeys(): Promise<DataKeyRecord[]> {
    return this.records.map(copy);
  }

  async insertDataKey(record: DataKeyRecord): Promise<void> {
    if (this.records.some((existing) => existing.version === record.version)) {
      throw new Error(`UNIQUE constraint failed: data_keys.version (${record.version})`);
    }
    this.inserts += 1;
    this.records.push(copy(record));
  }

  snapshot(): string {
    return JSON.stringify(this.records.map((record) => ({ ...record, wrappedKey: record.wrappedKey.toString("hex") })));
  }
}

const copy = (record: DataKeyRecord): DataKeyRecord => ({ ...record, wrappedKey: Buffer.from(record.wrappedKey) });
