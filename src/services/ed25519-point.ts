/**
 * Whether 32 bytes are an acceptable Ed25519 public key: the canonical encoding (RFC 8032 §5.1.3) of a point on
 * the curve that is not of small order. node:crypto imports any 32 bytes as a public key (it decodes the point
 * only when verifying), so owner keys are checked here, once, when a room is created. The curve arithmetic is
 * @noble/curves' (audited, strict RFC 8032 decoding by default).
 */
import { ed25519 } from '@noble/curves/ed25519';

export function isEd25519PublicKey(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false;
  try {
    return !ed25519.ExtendedPoint.fromHex(bytes).isSmallOrder();
  } catch {
    return false; // not a point: y not below p, no x for that y, or a negative zero
  }
}
