import { currentDbScope } from '../db/db-scope.ts'

/**
 * Where a changed record lies and who registered it: what the stream needs to
 * decide who may hear about it. Never sent to browsers as such.
 */
export interface LiveScope {
  villageId: number | null
  baseGridId: number | null
  fineGridId: number | null
  /** User who registered the case (grid workers also see the cases they registered). */
  registeredBy?: number | null
  /**
   * The town of the record (issue 13): only that town's users and county users hear
   * of it. Filled by `publish` from the writer's town when left out; an event
   * without a town reaches county users only.
   */
  townId?: number | null
}

/** A change to a case, lead or key person that open maps and lists should know about. */
export interface LiveEvent {
  kind: 'hazard' | 'dispute' | 'lead' | 'key_person'
  id: number
  status: string
  action: string
  /** ISO 8601 time of the change. */
  at: string
  /** Where it lies; events without a scope reach only the roles that see everything. */
  scope?: LiveScope
}

/** Receives live events. */
export type LiveListener = (event: LiveEvent) => void

/** Sends an event to the other server processes (e.g. PostgreSQL NOTIFY). */
export type LiveRelay = (event: LiveEvent) => Promise<void>

/**
 * A tiny in-process event bus. `publish` delivers to this process's
 * subscribers and hands the event to the relay, if any, for the other
 * processes; events arriving from them come in through `deliver`.
 */
export class LiveEventBus {
  readonly #listeners = new Set<LiveListener>()
  #relay: LiveRelay | undefined
  #onRelayError: (error: unknown) => void = () => {}

  /** Publishes an event here and to the other processes. Call it after the change is committed. */
  publish(event: LiveEvent): void {
    if (event.scope && event.scope.townId === undefined) {
      const writer = currentDbScope()
      event = { ...event, scope: { ...event.scope, townId: writer?.kind === 'town' ? writer.townId : null } }
    }
    this.deliver(event)
    if (this.#relay) this.#relay(event).catch(this.#onRelayError)
  }

  /** Delivers an event to this process's subscribers only. */
  deliver(event: LiveEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event)
      } catch {
        this.#listeners.delete(listener)
      }
    }
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: LiveListener): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** Sets how events reach the other processes, and what to do when that fails. */
  setRelay(relay: LiveRelay | undefined, onError?: (error: unknown) => void): void {
    this.#relay = relay
    if (onError) this.#onRelayError = onError
  }

  /** Number of current subscribers. */
  get size(): number {
    return this.#listeners.size
  }
}
