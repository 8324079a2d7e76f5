// ESLint with typescript-eslint's recommended rules, tuned to this code base.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'cdk8s.out/', 'imports/', 'bench/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Unused names are compile errors already (noUnusedLocals, noUnusedParameters); `_x` marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Test objects are loosely typed Kubernetes YAML (see test/helpers.ts K8sObject).
      '@typescript-eslint/no-explicit-any': 'off',
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
    },
  },
  {
    // Tests match ANSI colour codes in the report table.
    files: ['test/**/*.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // The test runner for the unit tier requires each test file by path.
    files: ['test/unit.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // ajv's compiler is required where a schema is compiled, so a warm synth never loads it.
    files: ['lib/policy/schema-compiler.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The build and run scripts (type-checked by tsc through JSDoc: checkJs).
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
