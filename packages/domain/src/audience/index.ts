export * from "./audience-spec";
