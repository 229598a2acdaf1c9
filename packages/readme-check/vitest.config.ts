import { testConfig } from '../../vitest.package.js';

export default testConfig({ testTimeout: 120_000 });
