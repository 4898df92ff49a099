// A bounded reader for the protobuf wire format (https://protobuf.dev/programming-guides/encoding/):
// varints and length-delimited fields, with fixed 32/64-bit fields skipped. Written by hand on
// purpose: Google Authenticator's export needs a dozen fields of one fixed message, and a schema
// compiler plus its runtime would be far more code to trust with hostile input than these lines.
// Every read is checked against the end of the buffer; nothing recurses.
import { invalidInput, problem, type ProblemText, type WatchwordError } from "../errors.js";

export type ProtoField =
  | { readonly number: number; readonly kind: "varint"; readonly value: bigint }
  | { readonly number: number; readonly kind: "bytes"; readonly value: Uint8Array };

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;
/** A varint is at most 10 bytes (64 bits, 7 per byte). */
const MAX_VARINT_BYTES = 10;

const damaged = (text: ProblemText): WatchwordError => invalidInput(text, "data");

/** The fields of one message, in order; repeated fields appear once per occurrence. */
export function readProtoFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let offset = 0;
  const readVarint = (): bigint => {
    let value = 0n;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (offset >= bytes.length) throw damaged(problem("import_protobuf_number_cut"));
      const byte = bytes[offset++] ?? 0;
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return value & 0xffff_ffff_ffff_ffffn;
    }
    throw damaged(problem("import_protobuf_number_long"));
  };
  const skip = (count: number): void => {
    if (count > bytes.length - offset) throw damaged(problem("import_protobuf_field_past_end"));
    offset += count;
  };

  while (offset < bytes.length) {
    const key = readVarint();
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (number < 1 || number > 536_870_911) throw damaged(problem("import_protobuf_field_number"));
    if (wireType === WIRE_VARINT) {
      fields.push({ number, kind: "varint", value: readVarint() });
    } else if (wireType === WIRE_BYTES) {
      const length = readVarint();
      if (length > BigInt(bytes.length - offset)) throw damaged(problem("import_protobuf_field_past_end"));
      const start = offset;
      skip(Number(length));
      fields.push({ number, kind: "bytes", value: bytes.subarray(start, offset) });
    } else if (wireType === WIRE_FIXED64) {
      skip(8);
    } else if (wireType === WIRE_FIXED32) {
      skip(4);
    } else {
      throw damaged(problem("import_protobuf_wire_type", { wireType }));
    }
  }
  return fields;
}

/** A varint as the signed 64-bit integer (int32/int64) it encodes, two's complement. */
export function toSigned(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}
