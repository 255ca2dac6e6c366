import type { FastifyInstance } from 'fastify'
import type { KeyPersonDto } from './key-persons.schemas.ts'

/**
 * Tells live listeners that a key person was registered, changed or visited
 * (call after commit). Who hears what is decided per subscriber by
 * `liveMessageFor`: identities only to roles that may see them.
 */
export function publishKeyPersonEvent(app: FastifyInstance, person: KeyPersonDto, action: 'register' | 'update' | 'visit'): void {
  app.live.publish({
    kind: 'key_person',
    id: person.id,
    status: person.status,
    action,
    at: person.updatedAt,
    scope: { villageId: person.village.id, baseGridId: person.baseGrid?.id ?? null, fineGridId: person.fineGrid?.id ?? null },
  })
}
