import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// The layers of src/ (docs/architecture.md): each folder may import only the folders before it; the three
// doors import none of each other. The imports are relative, so a pattern matches `../` (or `../../`)
// followed by a folder that the importing layer must not reach.
const LAYERS = ['core', 'github', 'registry', 'telemetry', 'app']
const DOORS = ['action', 'drone', 'cli']
// core is pure: no toolkit, no network client, no file system, no child processes.
const CORE_PURE = ['@actions/*', '@octokit/*', 'node:fs*', 'node:child_process', 'fs', 'child_process']

function upward(folder, forbidden) {
  return {
    regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
    message: `src/${folder} must not import ${forbidden.join(', ')}: the layers run core <- github <- registry <- telemetry <- app <- doors (docs/architecture.md).`,
  }
}

function layerRules() {
  const folders = [...LAYERS, ...DOORS]
  return folders.map((folder) => {
    const below = LAYERS.includes(folder) ? LAYERS.slice(0, LAYERS.indexOf(folder)) : LAYERS
    const forbidden = folders.filter((f) => f !== folder && !below.includes(f))
    const patterns = [upward(folder, forbidden)]
    if (folder === 'core')
      patterns.push({ group: CORE_PURE, message: 'src/core is pure: pass effects in as ports.' })
    return { files: [`src/${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } }
  })
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.bench-build/', 'bench/.build/', 'demo/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules(),
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now' },
        { object: 'process', property: 'env' },
      ],
    },
  },
)
