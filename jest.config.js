/**
 * One jest run over every suite: the server's (tests/) and the SDK's unit tests (sdk/tests). Everything runs
 * from sources; nothing needs `npm run build` first (the browser tests build the web client themselves).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests', '<rootDir>/sdk/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tests/tsconfig.json' }],
    // @tus/server and its helpers ship ES modules only; Node 20.19+ requires them natively, jest's module system
    // needs them as CommonJS.
    '/node_modules/(@tus|srvx)/.+\\.m?js$': [
      'babel-jest',
      { plugins: ['@babel/plugin-transform-export-namespace-from', '@babel/plugin-transform-modules-commonjs'] },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@tus|srvx)/)'],
  moduleNameMapper: {
    '^@sealroom/contracts$': '<rootDir>/contracts/src/index.ts',
    '^@sealroom/sdk$': '<rootDir>/sdk/src/index.ts',
    '^@sealroom/sdk/node$': '<rootDir>/sdk/src/node.ts',
    // The packages are NodeNext ESM: their relative imports end in .js but point at .ts sources.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 30000,
};
