/** Loads an ESM-only package from this CommonJS build (tsc would turn `import()` into `require`). */
export const importEsm = new Function('specifier', 'return import(specifier)') as <T = any>(
  specifier: string,
) => Promise<T>;
