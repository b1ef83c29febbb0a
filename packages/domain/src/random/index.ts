// Seeded randomness for simulation and synthetic data. Keep this surface small and stable:
// the CSV data generator and the CLV simulator both build on it.
export { createRng, RandomParameterError, type Rng } from "./prng";
export { sampleNormal } from "./normal";
export { sampleExponential } from "./exponential";
export { sampleGamma } from "./gamma";
export { sampleBeta } from "./beta";
export { samplePoisson } from "./poisson";
