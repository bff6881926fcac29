// `require('@sealroom/sdk')` lands here: the SDK is an ES module only, and this says so (and how to load it)
// instead of Node's generic ERR_PACKAGE_PATH_NOT_EXPORTED.
const error = new Error(
  "@sealroom/sdk is an ES module: use `import { SealroomClient } from '@sealroom/sdk'` (or '@sealroom/sdk/node'), " +
    "or from CommonJS `const { SealroomClient } = await import('@sealroom/sdk')`.",
);
error.code = 'ERR_REQUIRE_ESM';
throw error;
