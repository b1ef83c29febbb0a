export { betaln, digamma, gammaln, gammaRatio } from "./special-functions";
export { hyp2f1 } from "./hyp2f1";
export { MathError, type MathErrorCode } from "./math-error";
export { minimizeBfgs, type BfgsOptions, type MinimizeResult } from "./bfgs";
export { minimizeNelderMead, type NelderMeadOptions } from "./nelder-mead";
export { minimize, type MinimizeOptions } from "./minimize";
export { strongWolfeLineSearch, type ObjectiveWithGradient } from "./line-search";
export { numericalHessian } from "./numerical-hessian";
export { invertSymmetricPositiveDefinite } from "./invert-symmetric";
