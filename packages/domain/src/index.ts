// Public surface of @valuetier/domain. Each area re-exports its own index.
export * from "./random";
export * from "./money";
export * from "./import";
export * from "./generate";
export * from "./math";
export * from "./clv";
export * from "./scoring";
export * from "./audience";
export * from "./segmentation";
export * from "./loyalty";
export * from "./measurement";
