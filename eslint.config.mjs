// ESLint 9 flat config with typed linting (typescript-eslint v8).
// Run with: npm run lint  (eslint . --max-warnings 0)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const TS_FILES = [
  'src/**/*.ts',
  'workers/**/*.ts',
  'migrations/**/*.ts',
  'test/**/*.ts',
  'bench/**/*.ts',
];
const TEST_FILES = ['test/**/*.ts', '{src,workers,migrations,bench}/**/*.spec.ts'];

/** Restrict shared configs to the TypeScript sources covered by tsconfig.json. */
const scoped = (configs) => configs.map((config) => ({ ...config, files: TS_FILES }));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.demo/**',
      'demo/recordings/**',
      'bench/results/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  ...scoped([js.configs.recommended, ...tseslint.configs.recommendedTypeChecked]),
  {
    files: TS_FILES,
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        // An explicit `default:` branch is treated as a deliberate catch-all.
        { considerDefaultExhaustiveForUnions: true },
      ],
      eqeqeq: ['error', 'smart'],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/require-await': 'off',
      // NestJS modules are decorated empty classes.
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    files: TEST_FILES,
    rules: {
      // supertest bodies, jest mocks and raw query rows are untyped in tests.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // expect(service.method).toHaveBeenCalled() is idiomatic jest.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
