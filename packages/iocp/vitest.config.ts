import { testConfig } from '../../vitest.package.js';

export default testConfig();
