// Public surface of the typed client.
export * from "./client";
export * from "./errors";
