/**
 * The canonical encoding that signatures and safety codes cover (PROTOCOL.md, section 4):
 *   enc(f1, …, fn) = u32be(len(b1)) ‖ b1 ‖ … ‖ u32be(len(bn)) ‖ bn,   bi = UTF-8(fi)
 * Integers are written as canonical decimal strings (no sign, no leading zeros); an absent optional value is
 * the empty string. Every field is length-prefixed, so no two different field lists encode to the same bytes.
 */
import { concatBytes, isWellFormedText, utf8Encode, type Bytes } from './encoding.js';
import { InvalidInputError } from './errors.js';

/** A field of {@link canonicalEncode}: text, or a non-negative safe integer (written in decimal). */
export type CanonicalField = string | number;

/** The decimal text of a field. @throws InvalidInputError for a negative, fractional or unsafe number, or ill-formed text */
export function canonicalFieldText(field: CanonicalField): string {
  if (typeof field === 'number') {
    if (!Number.isSafeInteger(field) || field < 0) throw new InvalidInputError('canonical integers must be non-negative safe integers');
    return String(field);
  }
  if (typeof field !== 'string') throw new InvalidInputError('canonical fields must be strings or integers');
  if (!isWellFormedText(field)) throw new InvalidInputError('canonical fields must be well-formed Unicode text');
  return field;
}

/** The canonical encoding of `fields`. @throws InvalidInputError */
export function canonicalEncode(fields: readonly CanonicalField[]): Bytes {
  const parts: Uint8Array[] = [];
  for (const field of fields) {
    const bytes = utf8Encode(canonicalFieldText(field));
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.byteLength, false);
    parts.push(length, bytes);
  }
  return concatBytes(parts);
}
