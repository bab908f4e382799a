// Exact decimal arithmetic on numeric text (as PostgreSQL returns it) through scaled BigInts, so that
// money never passes through a float.

function toScaled(value: string, scale: number): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new Error(`not a decimal: ${value}`);
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > scale && /[1-9]/.test(fraction.slice(scale))) throw new Error(`${value} has more than ${scale} decimals`);
  const digits = BigInt(whole! + fraction.slice(0, scale).padEnd(scale, "0"));
  return sign === "-" ? -digits : digits;
}

function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

function decimalsOf(value: string): number {
  const dot = value.indexOf(".");
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** The exact sum of decimal texts, written with `scale` decimals (each value must fit in that scale). */
export function addDecimals(values: readonly string[], scale: number): string {
  let sum = 0n;
  for (const value of values) sum += toScaled(value, scale);
  return fromScaled(sum, scale);
}

/** a × b rounded to `scale` decimals, half away from zero (as PostgreSQL's round does). */
export function multiplyDecimal(a: string, b: string, scale: number): string {
  const scaleA = decimalsOf(a);
  const scaleB = decimalsOf(b);
  const product = toScaled(a, scaleA) * toScaled(b, scaleB);
  const drop = scaleA + scaleB - scale;
  if (drop <= 0) return fromScaled(product * 10n ** BigInt(-drop), scale);
  const divisor = 10n ** BigInt(drop);
  const magnitude = product < 0n ? -product : product;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return fromScaled(product < 0n ? -rounded : rounded, scale);
}
