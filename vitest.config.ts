import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds the sample site once for every browser suite (see the file for why).
    globalSetup: ["test/support/global-setup.ts"],
    // Dates are calendar dates everywhere in LTV Atlas; UTC keeps them from shifting.
    env: { TZ: "UTC", OBSERVABLE_TELEMETRY_DISABLE: "true" },
    // Browser and build suites share 2 cores with each other: time limits are generous on purpose.
    testTimeout: 180_000,
    hookTimeout: 600_000,
    // Two cores: the browser suite and the build-heavy suites must not fight for them.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
