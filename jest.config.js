/** @type {import('jest').Config} */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests', '<rootDir>/sdk/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': tsJest },
  moduleNameMapper: {
    '^@sealroom/sdk$': '<rootDir>/sdk/src/index.ts',
    '^@sealroom/sdk/node$': '<rootDir>/sdk/src/node.ts',
    // The SDK is NodeNext ESM: its relative imports end in .js but point at .ts sources.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 30000,
};
