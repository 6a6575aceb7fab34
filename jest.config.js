/**
 * One Jest run for unit specs (beside the sources) and e2e specs (in test/).
 * @swc/jest compiles TypeScript with decorator metadata; it also compiles jose, which
 * jwks-rsa requires but which is published as ES modules only.
 */
const swcTypeScript = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const swcJavaScript = {
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
  module: { type: 'commonjs' },
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcTypeScript],
    '^.+\\.m?js$': ['@swc/jest', swcJavaScript],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: {
    '^@cobee/auth$': '<rootDir>/libs/cobee-auth/src',
    '^@cobee/auth/(.*)$': '<rootDir>/libs/cobee-auth/src/$1',
  },
  // The consumer app template is copied out of the repository and tested there by test/consumer.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumer/app-template/'],
  modulePathIgnorePatterns: ['<rootDir>/libs/cobee-auth/dist'],
  testTimeout: 20000,
};
