/**
 * The consumer's own Jest setup. jwks-rsa 4 (a dependency of @cobee/auth) requires jose 6,
 * which is published as ES modules only, so Jest must compile jose to CommonJS: the second
 * transform handles .js files, and transformIgnorePatterns lets jose through wherever npm
 * placed it, including node_modules/jwks-rsa/node_modules/jose.
 */
const swcTypeScript = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

const swcJavaScript = {
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
  module: { type: 'commonjs' },
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testRegex: '\\.e2e-spec\\.ts$',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcTypeScript],
    '^.+\\.m?js$': ['@swc/jest', swcJavaScript],
  },
  transformIgnorePatterns: ['^(?!.*/node_modules/jose/).*/node_modules/'],
};
