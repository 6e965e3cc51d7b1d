/**
 * @module server/types
 * What the server adds to Fastify's types: the core dependencies on the instance, the acting principal
 * on each request, and the per-route declarations the plugins read (authentication, the permission a
 * route maps to, accepted body types, idempotency).
 */
import type { ActionContext, CoreDeps, Permission } from '../core/index.js';
import type { ServerMetrics } from './plugins/app/metrics.js';

/** How a route takes its body when it is not JSON. */
export interface RawBodySpec {
  /** accepted media types for the raw request body (e.g. application/pdf) */
  types: string[];
  /** also accept multipart/form-data with these fields (documented in OpenAPI) */
  multipart?: Record<string, unknown>;
  /** also accept JSON with this schema (validated by the handler's own schema check) */
  json?: Record<string, unknown>;
  description: string;
}

export interface RouteDeclaration {
  /** 'public': no account needed; 'required': 401 without a valid credential */
  auth: 'public' | 'required';
  /**
   * The core permission(s) the use case checks (documentation and the role-matrix test). Routes whose
   * use case decides by other rules name them in `rule`.
   */
  permission?: string | string[];
  /** extra authorisation rule the use case applies, for the docs (e.g. "operator only") */
  rule?: string;
  /** the audit action name used when the use case refuses (FORBIDDEN) */
  action?: string;
  /** non-JSON bodies */
  rawBody?: RawBodySpec;
  /** Idempotency-Key header honoured */
  idempotent?: boolean;
  /** response media types other than JSON (documentation) */
  produces?: string[];
}

/** A route of the API with its declaration (the role-matrix and OpenAPI tests walk them). */
export interface DeclaredRoute {
  method: string;
  url: string;
  decl: RouteDeclaration;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: CoreDeps;
    metrics: ServerMetrics;
    /** every declared route (method, URL, declaration) */
    routeTable: DeclaredRoute[];
  }
  interface FastifyRequest {
    /** the acting principal and request id, for the use cases */
    actx: ActionContext;
    /** the presented bearer token (logout needs it) */
    bearerToken?: string;
    /** request start (metrics) */
    startedAt?: bigint;
  }
  interface FastifyContextConfig {
    eseal?: RouteDeclaration;
  }
}

export type { Permission };
