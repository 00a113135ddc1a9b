// The part of js-yaml 4 the deployment-file tests use (installed with eslint and mocha; it ships no types).
declare module 'js-yaml' {
  /** Parses one YAML document (anchors and merge keys included). */
  export function load(text: string): unknown;
  const yaml: { load: typeof load };
  export default yaml;
}
