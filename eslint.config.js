// `npm run lint`: typescript-eslint's strict, type-checked rules on every TypeScript file and on
// the page's JavaScript (type-checked by tsconfig.web.json). Formatting is Prettier's job, not
// ESLint's. Each rule relaxed below says why, next to it; a relaxation applies only where its
// reason does.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['node_modules/', 'dist/', 'data/', 'coverage/'],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      // Each file is checked with the types of the tsconfig.json nearest to it (test/web has its own).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A number in a message reads as its decimal text, which is what every message here wants.
      // Objects, null, undefined and the like stay refused: those print "[object Object]" or "undefined".
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => server.close()` hands a void call to a callback API; braces around it would say nothing more.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      // Dropping a property by destructuring (`{ version: _, ...rest }`) is how a copy without it is made.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    // The page: plain ES modules in the browser, type-checked through JSDoc by tsconfig.web.json.
    files: ['web/**/*.js', 'web/**/*.d.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: './tsconfig.web.json' },
    },
    rules: {
      // TypeScript already resolves every name against the DOM's types (checkJs); ESLint's own
      // list of globals would only repeat it, less exactly.
      'no-undef': 'off',
    },
  },
  {
    // The in-memory twins implement ports that return promises: `async` with no `await` makes
    // a throw a rejection, exactly as in the real adapter they stand in for.
    files: ['adapters/memory/**'],
    rules: {
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // cloudform-types declares each property type as a class, while a template is written as
    // object literals of the same shape (as CloudFormation reads it); the class has no private
    // state, so a literal is as good as an instance.
    files: ['cloudformation/**'],
    rules: {
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: ['test/**'],
    rules: {
      // A test knows what it just arranged: `readings[0]!` right after storing readings is a
      // claim the next assertion checks anyway, and a wrong one fails the test loudly.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests read HTTP and JSON bodies and assert their shape with ava (t.like, t.deepEqual);
      // a typed decoder for every body would repeat those assertions.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Stubs of promise-returning ports: `async () => { throw … }` is a rejecting stub.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The tools' config files (this one, Prettier's, dependency-cruiser's) and the docs' example
    // are in no tsconfig: plain ESLint rules only.
    files: ['**/*.cjs', '**/*.mjs', '*.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // The README quotes this snippet byte for byte, so it stays as receivers would paste it:
    // Node code that uses the global Buffer.
    files: ['docs/examples/*.mjs'],
    languageOptions: { globals: { Buffer: 'readonly' } },
  },
);
