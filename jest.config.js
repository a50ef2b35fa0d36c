// Jest runs the TypeScript sources as native ESM (NestJS 12 ships ESM only), hence ts-jest's
// ESM mode and NODE_OPTIONS=--experimental-vm-modules in the npm scripts.
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  // Decorator metadata (class-transformer's @Type) needs the polyfill before any class loads.
  setupFiles: ['reflect-metadata'],
  moduleNameMapper: {
    '^@app/eventbus$': '<rootDir>/libs/eventbus/src/index.ts',
    '^@app/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^@app/service-kit$': '<rootDir>/libs/service-kit/src/index.ts',
    // Sources import siblings as './x.js' (nodenext); Jest resolves the .ts file.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
};

export default {
  // A global option (Jest ignores it per project): e2e tests start servers and processes.
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
