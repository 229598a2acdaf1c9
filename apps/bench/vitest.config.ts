import { testConfig } from '../../vitest.package.js';

export default testConfig({ testTimeout: 60_000 });
