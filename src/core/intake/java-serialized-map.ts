// Reads one java.util.HashMap<String, String> written by Java's ObjectOutputStream, the form of
// FreeOTP 2's backups (externalBackup.xml, despite the name). Written by hand because no
// well-kept JavaScript library reads Java serialization, and a general deserializer is needless
// attack surface: this reads only the grammar of that one object (Java Object Serialization
// Specification §6.4: a HashMap class descriptor, its primitive fields, the block of capacity and
// size, then strings), bounds every count and length by what remains of the file, and refuses
// everything else. It creates nothing but strings.
import { invalidInput, problem, type WatchwordError } from "../errors.js";

const STREAM_MAGIC = 0xaced;
const STREAM_VERSION = 5;
const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_OBJECT = 0x73;
const TC_STRING = 0x74;
const TC_BLOCKDATA = 0x77;
const TC_ENDBLOCKDATA = 0x78;
const TC_LONGSTRING = 0x7c;
const BASE_HANDLE = 0x7e0000;
/** java.util.HashMap's serialVersionUID. */
const HASH_MAP_UID = 362498820763181265n;
const SC_WRITE_METHOD = 0x01;
const SC_SERIALIZABLE = 0x02;
/** Sizes of the primitive field types a class descriptor may declare (§6.4.2 prim_typecode). */
const PRIMITIVE_SIZES: Readonly<Record<string, number>> = { B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1 };
/** HashMap declares two (loadFactor, threshold); older Android ones one. */
const MAX_FIELDS = 8;

/** True for bytes that open like a Java serialization stream holding an object. */
export function hasJavaSerializationSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && bytes[0] === 0xac && bytes[1] === 0xed && bytes[2] === 0x00 && bytes[3] === 0x05 && bytes[4] === TC_OBJECT;
}

/** The map's entries in stream order (a null key or value is left out); throws invalid_input for anything else. */
export function readJavaStringMap(bytes: Uint8Array, maxEntries: number, formatTitle: string): [string, string][] {
  const reader = new StreamReader(bytes, () => invalidInput(problem("import_java_map_damaged", { format: formatTitle }), "file"));
  if (reader.u16() !== STREAM_MAGIC || reader.u16() !== STREAM_VERSION) throw reader.damaged();
  reader.expect(TC_OBJECT);
  reader.expect(TC_CLASSDESC);
  if (reader.utf(reader.u16()) !== "java.util.HashMap" || reader.i64() !== HASH_MAP_UID) throw reader.damaged();
  reader.handles.push(undefined); // the class descriptor's handle
  const flags = reader.u8();
  if ((flags & (SC_SERIALIZABLE | SC_WRITE_METHOD)) !== (SC_SERIALIZABLE | SC_WRITE_METHOD)) throw reader.damaged();
  const fieldCount = reader.u16();
  if (fieldCount > MAX_FIELDS) throw reader.damaged();
  let fieldBytes = 0;
  for (let i = 0; i < fieldCount; i++) {
    const size = PRIMITIVE_SIZES[String.fromCharCode(reader.u8())];
    if (size === undefined) throw reader.damaged();
    reader.utf(reader.u16());
    fieldBytes += size;
  }
  reader.expect(TC_ENDBLOCKDATA); // no class annotation
  reader.expect(TC_NULL); // no superclass descriptor
  reader.handles.push(undefined); // the map's handle
  reader.skip(fieldBytes); // loadFactor, threshold: nothing to keep
  // HashMap.writeObject: a block holding the bucket count and the size, then the pairs.
  reader.expect(TC_BLOCKDATA);
  if (reader.u8() !== 8) throw reader.damaged();
  reader.skip(4);
  const size = reader.u32();
  // Each pair takes at least 2 bytes (two back-references take 10): a larger size is a lie.
  if (size > maxEntries || size * 2 > reader.remaining) throw reader.damaged();
  const pairs: [string, string][] = [];
  for (let i = 0; i < size; i++) {
    const key = reader.stringObject();
    const value = reader.stringObject();
    if (key !== undefined && value !== undefined) pairs.push([key, value]);
  }
  reader.expect(TC_ENDBLOCKDATA);
  return pairs;
}

class StreamReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #offset = 0;
  readonly damaged: () => WatchwordError;
  /** Objects by handle: strings for the strings read, undefined for the descriptor and the map. */
  readonly handles: (string | undefined)[] = [];

  constructor(bytes: Uint8Array, damaged: () => WatchwordError) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.damaged = damaged;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  #take(length: number): number {
    if (!Number.isSafeInteger(length) || length < 0 || length > this.remaining) throw this.damaged();
    const at = this.#offset;
    this.#offset += length;
    return at;
  }

  u8(): number {
    return this.#view.getUint8(this.#take(1));
  }

  u16(): number {
    return this.#view.getUint16(this.#take(2));
  }

  u32(): number {
    return this.#view.getUint32(this.#take(4));
  }

  i64(): bigint {
    return this.#view.getBigInt64(this.#take(8));
  }

  skip(length: number): void {
    this.#take(length);
  }

  expect(tag: number): void {
    if (this.u8() !== tag) throw this.damaged();
  }

  /** `length` bytes of Java's modified UTF-8 (DataInput.readUTF). */
  utf(length: number): string {
    const at = this.#take(length);
    return decodeModifiedUtf8(this.#bytes.subarray(at, at + length), this.damaged);
  }

  /** A string, a back-reference to one, or null (undefined). */
  stringObject(): string | undefined {
    const tag = this.u8();
    if (tag === TC_NULL) return undefined;
    if (tag === TC_REFERENCE) {
      const handle = this.u32() - BASE_HANDLE;
      const value = handle >= 0 && handle < this.handles.length ? this.handles[handle] : undefined;
      if (value === undefined) throw this.damaged();
      return value;
    }
    let length: number;
    if (tag === TC_STRING) {
      length = this.u16();
    } else if (tag === TC_LONGSTRING) {
      const high = this.u32();
      length = high === 0 ? this.u32() : Number.POSITIVE_INFINITY;
    } else {
      throw this.damaged();
    }
    const value = this.utf(length);
    this.handles.push(value);
    return value;
  }
}

/**
 * Java's modified UTF-8 (DataInput §"Modified UTF-8"): UTF-8 of UTF-16 code units, NUL as two
 * bytes, no four-byte forms (a supplementary character is two three-byte surrogates).
 */
function decodeModifiedUtf8(bytes: Uint8Array, damaged: () => WatchwordError): string {
  const units = new Uint16Array(bytes.length);
  let count = 0;
  for (let i = 0; i < bytes.length; ) {
    const first = bytes[i] ?? 0;
    if (first < 0x80 && first !== 0) {
      units[count++] = first;
      i += 1;
    } else if ((first & 0xe0) === 0xc0) {
      const second = bytes[i + 1] ?? 0;
      if ((second & 0xc0) !== 0x80) throw damaged();
      units[count++] = ((first & 0x1f) << 6) | (second & 0x3f);
      i += 2;
    } else if ((first & 0xf0) === 0xe0) {
      const second = bytes[i + 1] ?? 0;
      const third = bytes[i + 2] ?? 0;
      if ((second & 0xc0) !== 0x80 || (third & 0xc0) !== 0x80) throw damaged();
      units[count++] = ((first & 0x0f) << 12) | ((second & 0x3f) << 6) | (third & 0x3f);
      i += 3;
    } else {
      throw damaged();
    }
  }
  let text = "";
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let at = 0; at < count; at += 8192) text += String.fromCharCode(...units.subarray(at, Math.min(count, at + 8192)));
  return text;
}
