/**
 * The OpenAPI description is generated from the route schemas: every declared route is in it (and
 * nothing else but the docs UI), with tags, a summary, security and the error shape; every route
 * declares JSON Schemas for what it takes; and docs/api.md stays true to the routes and to the error
 * table in the code.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/server/errors.js';
import { TAGS } from '../../src/server/plugins/external/swagger.js';
import { testPlatform, type TestPlatform } from './helpers.js';

let t: TestPlatform;
let doc: { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };

const openapiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');
const DOCS = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

beforeAll(async () => {
  t = await testPlatform({ demo: false, tsa: false });
  const r = await t.app.inject({ url: '/docs/json' });
  expect(r.statusCode).toBe(200);
  doc = r.json();
});
afterAll(() => t?.close());

describe('OpenAPI', () => {
  it('is OpenAPI 3 with the two security schemes and the Error schema', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'bearerAuth']);
    expect(doc.components.schemas).toHaveProperty('Error');
  });

  it('documents every registered route, with tags, summary, security and error responses', () => {
    const tagNames = TAGS.map((x) => x.name);
    expect(t.app.routeTable.length).toBeGreaterThan(50);
    for (const r of t.app.routeTable) {
      const op = doc.paths[openapiPath(r.url)]?.[r.method.toLowerCase()] as { tags?: string[]; summary?: string; security?: unknown[]; responses?: Record<string, unknown>; description?: string } | undefined;
      expect(op, `${r.method} ${r.url} is not in the OpenAPI document`).toBeDefined();
      expect(op!.tags?.length, `${r.method} ${r.url} tags`).toBeGreaterThan(0);
      for (const tag of op!.tags!) expect(tagNames).toContain(tag);
      expect(op!.summary, `${r.method} ${r.url} summary`).toBeTruthy();
      expect(op!.security, `${r.method} ${r.url} security`).toEqual(r.decl.auth === 'public' ? [] : [{ bearerAuth: [] }, { apiKey: [] }]);
      expect(Object.keys(op!.responses!), `${r.method} ${r.url} responses`).toEqual(expect.arrayContaining(['4XX', '5XX']));
      expect(Object.keys(op!.responses!).some((c) => /^2\d\d$/.test(c)), `${r.method} ${r.url} success response`).toBe(true);
      if (r.decl.permission) expect(op!.description).toContain(String([r.decl.permission].flat()[0]));
      if (r.decl.idempotent) expect(op!.description).toContain('Idempotency-Key');
    }
  });

  it('lists nothing that is not a route (besides the docs UI)', () => {
    const declared = new Set(t.app.routeTable.map((r) => `${r.method} ${openapiPath(r.url)}`));
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.filter((x) => !declared.has(x) && !x.includes(' /docs'))).toEqual([]);
  });

  it('every route validates what it takes: params, query and body schemas, JSON or declared raw bodies', () => {
    for (const r of t.app.routeTable) {
      const op = doc.paths[openapiPath(r.url)][r.method.toLowerCase()] as { parameters?: { in: string; name: string }[]; requestBody?: { content: Record<string, unknown> } };
      const pathParams = [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      for (const p of pathParams) expect(op.parameters?.some((x) => x.in === 'path' && x.name === p), `${r.method} ${r.url} path param ${p}`).toBe(true);
      if (r.method === 'POST' && !r.url.endsWith('/logout') && !r.url.endsWith('/make')) {
        expect(op.requestBody, `${r.method} ${r.url} has no request body schema`).toBeDefined();
      }
    }
  });

  it('serves the Swagger UI at /docs', async () => {
    const r = await t.app.inject({ url: '/docs/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
  });
});

describe('docs/api.md stays true to the code', () => {
  it('its route table lists exactly the routes, with their auth', () => {
    const rows = [...DOCS.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\S+)` \| ([^|]+) \|/gm)].map((m) => ({ key: `${m[1]} ${m[2]}`, auth: m[3].trim() }));
    const declared = t.app.routeTable.map((r) => ({ key: `${r.method} ${openapiPath(r.url)}`, decl: r.decl }));
    expect(rows.map((r) => r.key).sort()).toEqual(declared.map((r) => r.key).sort());
    for (const d of declared) {
      const row = rows.find((r) => r.key === d.key)!;
      if (d.decl.auth === 'public') expect(row.auth, d.key).toBe('public');
      else if (d.decl.permission) expect(row.auth, d.key).toContain(`\`${[d.decl.permission].flat()[0]}\``);
      else expect(row.auth, d.key).toBe('signed in');
    }
  });

  it('its error table is the code’s table', () => {
    const rows = Object.fromEntries([...DOCS.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));
    expect(rows).toEqual({ ...ERROR_STATUS });
  });
});

describe('README stays true to the platform', () => {
  it('keeps the quick start, and every path its Platform section names is served', async () => {
    expect(README).toContain('npm ci && npm start');
    expect(README).toContain('npm ci && npm test');
    const section = README.slice(README.indexOf('## Platform'), README.indexOf('\n## ', README.indexOf('## Platform') + 5));
    expect(section.length).toBeGreaterThan(200);
    const paths = [...section.matchAll(/`(\/[A-Za-z0-9/{}._-]*)`/g), ...section.matchAll(/localhost:8080(\/[A-Za-z0-9/._-]*)/g)].map((m) => m[1]).filter((p) => p !== '/');
    expect(paths.length).toBeGreaterThan(3);
    const routes = t.app.routeTable.map((r) => openapiPath(r.url));
    for (const p of paths) expect(routes.some((r) => r === p) || p.startsWith('/docs'), `README names ${p}`).toBe(true);
    for (const c of ['eseal serve', 'eseal audit verify', 'eseal audit export']) expect(section).toContain(c);
    expect(section).toContain('docs/api.md');
  });
});
