/**
 * Whether 32 bytes are an acceptable Ed25519 public key: the canonical encoding (RFC 8032 §5.1.3) of a point on
 * the curve that is not of small order. node:crypto imports any 32 bytes as a public key (it decodes the point
 * only when verifying), so owner keys are checked here, once, when a room is created.
 */
const P = 2n ** 255n - 19n;
const mod = (a: bigint) => ((a % P) + P) % P;

function pow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

const D = mod(-121665n * pow(121666n, P - 2n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

/** Decodes a point; null when the bytes encode none (y not below p, or no x for that y, or -0). */
function decode(bytes: Uint8Array): { x: bigint; y: bigint } | null {
  if (bytes.length !== 32) return null;
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? bytes[i] & 0x7f : bytes[i]);
  const sign = bytes[31] >> 7;
  if (y >= P) return null;
  const y2 = (y * y) % P;
  const u = mod(y2 - 1n);
  const v = mod(D * y2 + 1n);
  const v3 = (v * v * v) % P;
  let x = (u * v3 * pow(u * v3 * v3 * v, (P - 5n) / 8n)) % P;
  const vx2 = (v * x * x) % P;
  if (vx2 === u) {
    // x is a square root of u/v
  } else if (vx2 === mod(-u)) {
    x = (x * SQRT_M1) % P;
  } else {
    return null;
  }
  if (x === 0n && sign === 1) return null;
  if (Number(x & 1n) !== sign) x = mod(-x);
  return { x, y };
}

/** 8·P in extended coordinates is the identity for exactly the points of small order. */
function isSmallOrder({ x, y }: { x: bigint; y: bigint }): boolean {
  let [X, Y, Z] = [x, y, 1n];
  for (let i = 0; i < 3; i++) {
    const A = (X * X) % P;
    const B = (Y * Y) % P;
    const C = (2n * Z * Z) % P;
    const Dd = mod(-A);
    const E = mod((X + Y) * (X + Y) - A - B);
    const G = mod(Dd + B);
    const F = mod(G - C);
    const H = mod(Dd - B);
    [X, Y, Z] = [(E * F) % P, (G * H) % P, (F * G) % P];
  }
  return X === 0n && Y === Z;
}

export function isEd25519PublicKey(bytes: Uint8Array): boolean {
  const point = decode(bytes);
  return point !== null && !isSmallOrder(point);
}
