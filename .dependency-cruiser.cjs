/**
 * The layer rules of the hexagon, checked by `npm run lint:deps` inside `npm test`:
 * dependencies point inward (adapters → application → domain), adapter families meet only in
 * the composition root (adapters/runtime/), and nothing but tests reaches into test/.
 * Node's own modules are the platform, not a layer, so every layer may use them.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-stands-alone',
      comment: 'The domain imports nothing outside itself: no framework, no adapter, no AWS.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { pathNot: ['^domain/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'application-depends-on-domain-only',
      comment: 'Use cases talk to ports; they see the domain and inversify (for injection), nothing else.',
      severity: 'error',
      from: { path: '^application/' },
      to: {
        pathNot: ['^application/', '^domain/', '^node_modules/inversify/', '^node_modules/@inversifyjs/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'adapter-families-meet-in-the-composition-root',
      comment: 'One adapter translates one technology; only adapters/runtime/ knows them all.',
      severity: 'error',
      from: { path: '^adapters/(?!runtime/)([^/]+)/' },
      to: { path: '^adapters/', pathNot: ['^adapters/$1/'] },
    },
    {
      name: 'production-code-stays-out-of-scripts-and-tests',
      comment: 'What runs in the image never needs the benchmark, the deploy script or the tests.',
      severity: 'error',
      from: { path: '^(domain|application|adapters)/' },
      to: { path: '^(scripts|test|cloudformation)/' },
    },
    {
      name: 'only-tests-import-tests',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular-imports',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
};
