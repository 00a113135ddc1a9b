/**
 * The deployment files are code nobody runs here (no Docker daemon, no SQD Cloud): docker-compose.yml,
 * squid.yaml, commands.json and the Dockerfile are parsed and checked against the code. Every command
 * runs a built file with the processor's node flags where it runs the processor, every variable they
 * pass is one the code reads and the README documents, and every long-running service has a health
 * check and a restart policy. (The health check commands themselves are run against live processes by
 * `src/test/e2e/operations.test.ts`.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { API_LIMIT_ENV } from '../api/limits';
import { API_NODE_FLAG } from '../api/nodeFlags';
import { CONTRACT_NAMES } from '../devnet/types';
import { PROCESSOR_NODE_ARGS } from '../ingest/nodeArgs';
import { PROJECT_ROOT } from '../store/dataSource';

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

/** Every .ts file under src/ except tests, and the migrations (they read the roles' settings). */
function sourceFiles(dir = path.join(PROJECT_ROOT, 'src')): string[] {
  const files = fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
  if (dir !== path.join(PROJECT_ROOT, 'src')) return files;
  const migrations = path.join(PROJECT_ROOT, 'migrations');
  const js = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(d, e.name);
      return e.isDirectory() ? js(p) : e.name.endsWith('.js') ? [p] : [];
    });
  return [...files, ...js(migrations)];
}

/**
 * The environment variables the code reads: `env.X` / `process.env.X` / `env['X']`, the names given to
 * the env helpers (`int(env, 'X')`, `readInt(env, 'X', …)`, `intEnv('X')`, …), the API limits'
 * variables, CONTRACT_<Name> for every contract, and what Subsquid's processor reads itself.
 */
function variablesReadByCode(): Set<string> {
  const names = new Set<string>(['PROCESSOR_PROMETHEUS_PORT', 'PROMETHEUS_PORT']);
  const patterns = [
    /\benv\??\.([A-Z][A-Z0-9_]+)\b/g,
    /\benv\[['"`]([A-Z][A-Z0-9_]+)['"`]\]/g,
    /\b(?:int|bool|intEnv|readInt|readBool|readChoice|httpUrl)\((?:env,\s*)?'([A-Z][A-Z0-9_]+)'/g,
  ];
  for (const file of sourceFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) names.add(m[1]);
  }
  for (const name of Object.values(API_LIMIT_ENV)) names.add(name);
  for (const name of CONTRACT_NAMES) names.add(`CONTRACT_${name}`);
  return names;
}

/** Variable names the README's Configuration table documents (`CONTRACT_<Name>` covers every contract). */
function documentedVariables(): Set<string> {
  const readme = read('README.md');
  const section = readme.slice(
    readme.indexOf('## Configuration'),
    readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5),
  );
  const names = new Set<string>();
  for (const line of section.split('\n').filter((l) => l.startsWith('|'))) {
    const first = line.split('|')[1] ?? '';
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(m[1]);
  }
  if (section.includes('`CONTRACT_<Name>`')) for (const name of CONTRACT_NAMES) names.add(`CONTRACT_${name}`);
  return names;
}

/** The script a `node [flags] script` command runs, and its flags. */
function nodeCommand(cmd: unknown): { flags: string[]; script: string } {
  assert.ok(Array.isArray(cmd) && cmd.every((c) => typeof c === 'string'), `command ${JSON.stringify(cmd)} is a list`);
  assert.equal(cmd[0], 'node', `command ${JSON.stringify(cmd)} runs node`);
  const script = cmd.find((c, i) => i > 0 && !c.startsWith('-'))!;
  return { flags: cmd.slice(1, cmd.indexOf(script)), script };
}

/** Checks a command runs a built file that an npm script also runs, with the processor's flags for the processor. */
function assertRunsBuiltScript(cmd: unknown, where: string): string {
  const { flags, script } = nodeCommand(cmd);
  assert.ok(fs.existsSync(path.join(PROJECT_ROOT, script)), `${where}: ${script} exists after npm run build`);
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  assert.ok(
    Object.values(pkg.scripts).some((s) => s.includes(script)),
    `${where}: an npm script runs ${script} as well`,
  );
  if (script === 'lib/ingest/main.js') assert.deepEqual(flags, [...PROCESSOR_NODE_ARGS], `${where}: processor flags`);
  else if (script === 'lib/api/main.js') assert.deepEqual(flags, [API_NODE_FLAG], `${where}: API flags`);
  else assert.deepEqual(flags, [], `${where}: no node flags`);
  return script;
}

it('npm start and npm run api run the API process with its node flag', () => {
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  for (const [name, script] of [
    ['start', 'lib/start/main.js'],
    ['api', 'lib/api/main.js'],
  ]) {
    assert.ok(
      pkg.scripts[name].includes(`exec node ${API_NODE_FLAG} ${script}`),
      `npm run ${name}: ${pkg.scripts[name]}`,
    );
  }
});

const README = read('README.md');
const READ_BY_CODE = variablesReadByCode();
const DOCUMENTED = documentedVariables();

function assertVariablesKnown(env: Record<string, unknown> | undefined, where: string): void {
  for (const name of Object.keys(env ?? {})) {
    assert.ok(READ_BY_CODE.has(name), `${where}: ${name} is not a variable the code reads`);
    assert.ok(DOCUMENTED.has(name), `${where}: ${name} is not in the README's Configuration table`);
  }
}

describe('the variables the tests look for', () => {
  it('are found in the code: the scan sees the processor, API and start variables', () => {
    for (const name of [
      'DB_URL',
      'RPC_URL',
      'START_BLOCK',
      'GRAPHQL_PORT',
      'LOG_LEVEL',
      'SHUTDOWN_TIMEOUT_MS',
      'GATEWAY_URL',
    ]) {
      assert.ok(READ_BY_CODE.has(name), name);
    }
    assert.ok(!READ_BY_CODE.has('NOT_A_VARIABLE'));
  });
});

interface ComposeService {
  image?: string;
  command?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  stop_grace_period?: string;
}

describe('docker-compose.yml', () => {
  const compose = yaml.load(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
  const services = compose.services;

  it('runs Postgres, the migrations, the processor and the API', () => {
    assert.deepEqual(Object.keys(services).sort(), ['api', 'db', 'migrate', 'processor']);
    assert.equal(services.db.image, 'postgres:16');
  });

  it('runs built files that npm scripts also run, the processor with its node flags', () => {
    assert.equal(assertRunsBuiltScript(services.migrate.command, 'migrate'), 'lib/store/migrate-main.js');
    assert.equal(assertRunsBuiltScript(services.processor.command, 'processor'), 'lib/ingest/main.js');
    assert.equal(assertRunsBuiltScript(services.api.command, 'api'), 'lib/api/main.js');
  });

  it('passes only variables the code reads and the README documents', () => {
    for (const name of ['migrate', 'processor', 'api']) assertVariablesKnown(services[name].environment, name);
  });

  it('documents every variable it interpolates (${VAR:-default}) in the README', () => {
    const vars = new Set(
      [...read('docker-compose.yml').matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]),
    );
    assert.ok(vars.size > 10);
    for (const name of vars) assert.ok(README.includes(`\`${name}\``), `README mentions ${name}`);
  });

  it('health-checks Postgres, the API (/health on its port) and the processor (/metrics on its port)', () => {
    assert.match(services.db.healthcheck!.test.join(' '), /pg_isready/);
    const api = services.api.healthcheck!.test.join(' ');
    assert.ok(api.includes(`127.0.0.1:${services.api.environment!.GRAPHQL_PORT}/health`), api);
    const processor = services.processor.healthcheck!.test.join(' ');
    assert.ok(processor.includes(`127.0.0.1:${services.processor.environment!.PROCESSOR_PROMETHEUS_PORT}/metrics`));
    assert.equal(services.migrate.healthcheck, undefined, 'a one-shot has no health check');
  });

  it('restarts the long-running services, not the one-shot migration, which the others wait for', () => {
    for (const name of ['db', 'processor', 'api']) assert.equal(services[name].restart, 'unless-stopped', name);
    assert.equal(services.migrate.restart, 'no');
    for (const name of ['processor', 'api']) {
      assert.deepEqual(services[name].depends_on, {
        db: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('gives the processor and the API more time to stop than their SHUTDOWN_TIMEOUT_MS', () => {
    for (const name of ['processor', 'api']) {
      const timeout = Number(/:-(\d+)/.exec(services[name].environment!.SHUTDOWN_TIMEOUT_MS)![1]);
      const grace = Number(/^(\d+)s$/.exec(services[name].stop_grace_period!)![1]) * 1000;
      assert.ok(grace > timeout + 5000, `${name}: stop_grace_period ${grace} ms > ${timeout} ms + 5 s`);
    }
  });

  it('publishes the metrics ports on loopback only', () => {
    assert.ok(services.processor.ports!.every((p) => p.startsWith('127.0.0.1:')));
    const metricsPort = services.api.environment!.API_METRICS_PORT;
    assert.ok(services.api.ports!.some((p) => p.startsWith('127.0.0.1:') && p.endsWith(`:${metricsPort}`)));
  });
});

describe('package.json', () => {
  it('execs node in the scripts of long-running processes, so a SIGTERM to npm reaches the process', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    for (const name of ['start', 'processor', 'api', 'devnet']) {
      assert.match(scripts[name], /^npm run build && exec node /, name);
    }
  });
});

describe('Dockerfile', () => {
  it('copies every folder the processes read at run time', () => {
    const dockerfile = read('Dockerfile');
    for (const dir of ['lib', 'abi', 'schema', 'migrations', 'node_modules']) {
      assert.match(dockerfile, new RegExp(`COPY --from=build .*/app/${dir} \\./${dir}`), dir);
    }
  });
});

interface Manifest {
  manifest_version: string;
  name: string;
  version: number;
  build: { node_version?: number | string; package_manager?: string } | null;
  deploy: {
    addons: Record<string, unknown>;
    env?: Record<string, string>;
    migrate?: { cmd: string[]; env?: Record<string, string> };
    processor: { cmd: string[]; env?: Record<string, string> };
    api: { cmd: string[]; env?: Record<string, string> };
  } & Record<string, unknown>;
  scale?: { api?: { replicas?: number } };
}

describe('squid.yaml (SQD Cloud manifest)', () => {
  const manifest = yaml.load(read('squid.yaml')) as Manifest;

  it('has the header the manifest reference requires', () => {
    assert.equal(manifest.manifest_version, 'subsquid.io/v0.1');
    assert.match(manifest.name, /^[a-z-]{1,19}$/, 'lowercase letters and dashes, under 20 symbols');
    assert.ok(Number.isInteger(manifest.version));
    assert.ok([18, 20, 21].includes(Number(manifest.build?.node_version ?? 20)));
  });

  it('deploys the postgres add-on, the migrations, the processor and the API, and nothing unknown', () => {
    assert.ok('postgres' in manifest.deploy.addons);
    assert.deepEqual(Object.keys(manifest.deploy).sort(), ['addons', 'api', 'env', 'migrate', 'processor']);
    assert.equal(assertRunsBuiltScript(manifest.deploy.migrate!.cmd, 'deploy.migrate'), 'lib/store/migrate-main.js');
    assert.equal(assertRunsBuiltScript(manifest.deploy.processor.cmd, 'deploy.processor'), 'lib/ingest/main.js');
    assert.equal(assertRunsBuiltScript(manifest.deploy.api.cmd, 'deploy.api'), 'lib/api/main.js');
  });

  it('sets only variables the code reads, secrets through ${{ secrets.NAME }}', () => {
    const { deploy } = manifest;
    for (const [where, env] of [
      ['deploy.env', deploy.env],
      ['deploy.migrate.env', deploy.migrate?.env],
      ['deploy.processor.env', deploy.processor.env],
      ['deploy.api.env', deploy.api.env],
    ] as const) {
      assertVariablesKnown(env, where);
      for (const value of Object.values(env ?? {})) {
        if (String(value).includes('${{')) assert.match(String(value), /^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/);
      }
    }
    assert.ok(!deploy.env?.DB_URL, 'the postgres add-on provides the database (DB_HOST, DB_PORT, …)');
  });

  it('lets the API listen on the port the Cloud gives it (GRAPHQL_SERVER_PORT), so sets no GRAPHQL_PORT', () => {
    assert.equal(manifest.deploy.env?.GRAPHQL_PORT, undefined);
    assert.equal(manifest.deploy.api.env?.GRAPHQL_PORT, undefined);
    assert.ok(READ_BY_CODE.has('GRAPHQL_SERVER_PORT'));
  });

  it('scales reads with API replicas', () => {
    assert.ok((manifest.scale?.api?.replicas ?? 1) >= 2);
  });
});

describe('commands.json (required by SQD Cloud builds)', () => {
  const commands = (
    JSON.parse(read('commands.json')) as { commands: Record<string, { cmd: string[]; deps?: string[] }> }
  ).commands;

  it('builds with the npm build script and runs the same files as the manifest', () => {
    assert.deepEqual(commands.build.cmd, ['npm', 'run', 'build']);
    assertRunsBuiltScript(commands['migration:apply'].cmd, 'migration:apply');
    assert.equal(assertRunsBuiltScript(commands['process:prod'].cmd, 'process:prod'), 'lib/ingest/main.js');
    assert.equal(assertRunsBuiltScript(commands['serve:prod'].cmd, 'serve:prod'), 'lib/api/main.js');
    for (const c of Object.values(commands)) for (const dep of c.deps ?? []) assert.ok(commands[dep], dep);
  });
});
