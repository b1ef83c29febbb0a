/** BG/NBD parameters: λ ~ Gamma(shape r, rate α), p ~ Beta(a, b) (FHL 2005). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Gamma-Gamma spend parameters: z ~ Gamma(p, ν), ν ~ Gamma(q, γ) with γ called v here. */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}
