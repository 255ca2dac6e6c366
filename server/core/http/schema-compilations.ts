import { createRequire } from 'node:module'
import type { FastifyServerOptions } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    /** The route schemas of this app, compiled on first use (see {@link SchemaCompilations}). */
    schemaCompilations: SchemaCompilations
  }
}

/** Fastify's `schemaController.compilersFactory.buildSerializer`. */
type SerializerFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer'] & {}

/** A schema whose compilation is deferred, and what it belongs to (for error messages). */
interface Deferred {
  what: string
  compile: () => void
}

/**
 * The route schemas (request validators and response serializers) of one app,
 * each compiled the first time it is used rather than when the app is built.
 *
 * Why: compiling the ~200 routes' schemas (Ajv and fast-json-stringify, twice
 * for GET routes as Fastify adds HEAD) took 1.2–1.4 s of the main thread
 * during `app.ready()`, after the embedded database had opened, which a warm
 * `npm start` waited for (issue 11: ready in ≤ 3 s). Nothing is skipped: a
 * request is validated and a reply serialized by the same compiled function,
 * only compiled later. What was not used yet is compiled after the server
 * listens ({@link compileInBackground}), so a broken schema is still reported
 * at start, and tests compile them all ({@link compileAll}).
 */
export class SchemaCompilations {
  readonly #pending = new Set<Deferred>()
  /** Compilations that failed, in the order they failed. */
  readonly #failures: Error[] = []
  #onFailure: (error: Error) => void = () => {}
  #stopped = false

  /**
   * Defers `compile`; returns a function giving its result, compiling it on the
   * first call. A failed compilation throws, at each call, an error naming `what`.
   */
  add<T>(what: string, compile: () => T): () => T {
    let result: { value: T } | { error: Error } | undefined
    const deferred: Deferred = {
      what,
      compile: () => {
        if (result) return
        this.#pending.delete(deferred)
        try {
          result = { value: compile() }
        } catch (error) {
          result = { error: new Error(`The schema of ${what} does not compile: ${(error as Error).message}`, { cause: error }) }
          this.#failures.push(result.error)
          this.#onFailure(result.error)
        }
      },
    }
    this.#pending.add(deferred)
    return () => {
      if (!result) deferred.compile()
      if (result && 'error' in result) throw result.error
      return (result as { value: T }).value
    }
  }

  /** How many schemas are still to compile. */
  get pendingCount(): number {
    return this.#pending.size
  }

  /** Compiles every schema not used yet; throws the first failure so far (naming its route). */
  compileAll(): void {
    for (const deferred of [...this.#pending]) deferred.compile()
    if (this.#failures.length > 0) throw this.#failures[0]
  }

  /**
   * Compiles the remaining schemas a few at a time between other work (each
   * slice at most `sliceMs`), so a request arriving meanwhile waits at most one
   * slice. Each failure from then on is passed to `onFailure`. Resolves when
   * nothing is left or on {@link stop}.
   */
  compileInBackground(onFailure: (error: Error) => void, sliceMs = 15): Promise<void> {
    for (const error of this.#failures) onFailure(error)
    this.#onFailure = onFailure
    return new Promise((resolve) => {
      const slice = () => {
        const started = performance.now()
        for (const deferred of this.#pending) {
          if (this.#stopped || performance.now() - started > sliceMs) break
          deferred.compile()
        }
        if (this.#stopped || this.#pending.size === 0) return resolve()
        setImmediate(slice)
      }
      setImmediate(slice)
    })
  }

  /** Stops a background compilation (the app is closing). */
  stop(): void {
    this.#stopped = true
  }

  /**
   * Fastify's serializer factory (`schemaController.compilersFactory.buildSerializer`)
   * wrapping Fastify's own default (fast-json-stringify, resolved from Fastify's
   * folder so it is the version Fastify was installed with) so that each
   * response schema is compiled on first use.
   */
  serializerFactory(): SerializerFactory {
    const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'))
    const defaultFactory = fromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerFactory
    const buildDefault = defaultFactory()
    return (externalSchemas, serializerOptions) => {
      const compile = buildDefault(externalSchemas, serializerOptions)
      return (route) => {
        const compiled = this.add(`${route.method} ${route.url} reply ${route.httpStatus}`, () => compile(route))
        return (data) => compiled()(data)
      }
    }
  }
}
