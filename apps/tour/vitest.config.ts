import { mergeConfig } from 'vitest/config';
import { testConfig } from '../../vitest.package.js';

// The tour runs once (test/global-setup.ts) and the test files read what it wrote.
export default mergeConfig(testConfig({ testTimeout: 60_000 }), { test: { globalSetup: ['test/global-setup.ts'] } });
