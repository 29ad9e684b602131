#!/usr/bin/env node
// Creates packages/<name> with the project's standard shape: ESM, exports map with the
// "@ostree-ts/source" condition (tests and typecheck read src/), tsc -b build into dist/,
// vitest, a README stub. Usage: node scripts/new-package.mjs <name> "<description>" [dep ...]
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description, ...deps] = process.argv.slice(2);
if (!name || !description) {
  console.error('usage: new-package.mjs <name> "<description>" [dep ...]');
  process.exit(2);
}
const dir = join('packages', name);
if (existsSync(dir)) {
  console.error(`${dir} exists`);
  process.exit(1);
}
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
const json = (p, v) => writeFileSync(join(dir, p), JSON.stringify(v, null, 2) + '\n');

json('package.json', {
  name: `@ostree-ts/${name}`,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  exports: {
    '.': {
      '@ostree-ts/source': './src/index.ts',
      types: './dist/index.d.ts',
      default: './dist/index.js',
    },
    './package.json': './package.json',
  },
  files: ['dist', 'src', 'README.md'],
  scripts: {
    build: 'tsc -b tsconfig.build.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    test: 'vitest run',
  },
  dependencies: Object.fromEntries(deps.map((d) => [`@ostree-ts/${d}`, '0.1.0'])),
});
json('tsconfig.build.json', {
  extends: '../../tsconfig.base.json',
  compilerOptions: {
    rootDir: 'src',
    outDir: 'dist',
    tsBuildInfoFile: 'dist/.tsbuildinfo',
    customConditions: [],
  },
  include: ['src'],
  references: deps.map((d) => ({ path: `../${d}/tsconfig.build.json` })),
});
json('tsconfig.json', {
  extends: '../../tsconfig.base.json',
  compilerOptions: { composite: false, declaration: false, declarationMap: false, noEmit: true, types: ['node'] },
  include: ['src', 'test', 'bench'],
});
writeFileSync(join(dir, 'vitest.config.ts'), "export { default } from '../../vitest.shared.ts';\n");
writeFileSync(join(dir, 'src', 'index.ts'), `/**\n * ${description}\n * @module\n */\nexport {};\n`);
writeFileSync(join(dir, 'README.md'), `# @ostree-ts/${name}\n\n${description}\n`);

const rootTs = JSON.parse(readFileSync('tsconfig.json', 'utf8'));
rootTs.references.push({ path: `packages/${name}/tsconfig.build.json` });
writeFileSync('tsconfig.json', JSON.stringify(rootTs, null, 2) + '\n');
console.log(`created ${dir}`);
