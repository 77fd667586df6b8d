/**
 * Seeded pseudo-random numbers for simulations, bootstrap draws and the sample CRM.
 *
 * Every function that needs randomness takes an `Rng` argument; there is no module state,
 * so the same seed always gives the same sequence (in Node and in the browser).
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through
 * splitmix32 so that nearby seeds give unrelated streams.
 */
export interface Rng {
  /** Uniform on [0, 1), 32 bits of resolution. */
  next(): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A new generator; `seed` is any integer (only its low 32 bits are used). */
export function createRng(seed: number): Rng {
  const mix = splitmix32(seed);
  let a = mix(),
    b = mix(),
    c = mix(),
    d = mix();
  const rng: Rng = {
    next() {
      const t = (((a + b) >>> 0) + d) >>> 0;
      d = (d + 1) >>> 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) >>> 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) >>> 0;
      return t / 4294967296;
    },
  };
  for (let i = 0; i < 12; i++) rng.next(); // discard the warm-up outputs
  return rng;
}

/** Uniform on [lo, hi). */
export function uniform(rng: Rng, lo = 0, hi = 1): number {
  return lo + (hi - lo) * rng.next();
}

/** Integer uniform on [lo, hi] (both ends included). */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * (hi - lo + 1));
}

/** Standard normal by the Box–Muller transform (uses two uniforms per call). */
export function normal(rng: Rng, mean = 0, sd = 1): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  const v = rng.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Exponential with the given rate (mean 1 / rate). */
export function exponential(rng: Rng, rate: number): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return -Math.log(u) / rate;
}

/**
 * Gamma(shape, rate) by Marsaglia & Tsang (2000); shape < 1 uses the boost
 * Gamma(k) = Gamma(k + 1) · U^(1/k). Mean shape / rate.
 */
export function gamma(rng: Rng, shape: number, rate = 1): number {
  if (!(shape > 0) || !(rate > 0)) throw new RangeError(`invalid gamma parameters: shape ${shape}, rate ${rate}`);
  if (shape < 1) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    return gamma(rng, shape + 1, rate) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return (d * v) / rate;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

/** Beta(a, b) as a ratio of gammas. */
export function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  return x / (x + y);
}

/** Poisson(mean): inversion for small means, a normal approximation above 500. */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 500) return Math.max(0, Math.round(normal(rng, mean, Math.sqrt(mean))));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Bernoulli trial: true with probability p. */
export function bernoulli(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

/** One item of `items`, chosen with the given non-negative weights. */
export function pickWeighted<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng.next() * total;
  for (let i = 0; i < items.length; i++) {
    u -= weights[i];
    if (u < 0) return items[i];
  }
  return items[items.length - 1];
}
