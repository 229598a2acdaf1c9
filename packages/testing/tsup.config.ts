import { packageConfig } from '../../tsup.package.js';

// fixtures and child-fixtures import no package: core's own tests load them by path (core cannot
// depend on this package, which depends on core).
export default packageConfig(['src/index.ts', 'src/fixtures.ts', 'src/child-fixtures.ts', 'src/recorder-rules.ts']);
