// Public surface of @valuetier/domain. Each area re-exports its own index.
export * from "./random";
