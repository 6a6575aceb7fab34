import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The published package must expose every entry folder (a folder of src/ with an index.ts)
 * as a subpath, in the exports map for Node and modern TypeScript resolution and in
 * typesVersions for TypeScript's node10 resolution, and nothing else.
 */
const PACKAGE_DIR = join(__dirname, '..');

interface PackageManifest {
  main: string;
  types: string;
  exports: Record<string, { types: string; default: string } | string>;
  typesVersions: { '*': Record<string, string[]> };
  files: string[];
}

const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as PackageManifest;
const entryFolders = readdirSync(__dirname, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(__dirname, entry.name, 'index.ts')))
  .map((entry) => entry.name)
  .sort();

describe('package.json of @cobee/auth', () => {
  it('maps the main entry to dist', () => {
    expect(manifest.main).toBe('./dist/index.js');
    expect(manifest.types).toBe('./dist/index.d.ts');
    expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  });

  it('exports exactly the entry folders', () => {
    const subpaths = Object.keys(manifest.exports).filter((key) => key !== '.' && key !== './package.json');

    expect(subpaths.sort()).toEqual(entryFolders.map((folder) => `./${folder}`));
  });

  it.each(entryFolders)('maps ./%s to its compiled index', (folder) => {
    expect(manifest.exports[`./${folder}`]).toEqual({
      types: `./dist/${folder}/index.d.ts`,
      default: `./dist/${folder}/index.js`,
    });
    expect(manifest.typesVersions['*'][folder]).toEqual([`./dist/${folder}/index.d.ts`]);
  });

  it('lists no typesVersions entry without a folder', () => {
    expect(Object.keys(manifest.typesVersions['*']).sort()).toEqual(entryFolders);
  });

  it('publishes dist, README and CHANGELOG only', () => {
    expect(manifest.files.sort()).toEqual(['CHANGELOG.md', 'README.md', 'dist']);
  });
});
