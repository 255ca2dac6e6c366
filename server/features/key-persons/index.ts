/**
 * The key-persons feature as other features see it: everything another feature may
 * import from it is re-exported here (CONVENTIONS.md, "features meet through index.ts").
 */
export { IDENTITY_ACCESS, inScope, personScope } from './access.ts'
export { KEY_PERSONS_COLLECTION } from './collection.ts'
export { countProtectionFor } from './count-protection.ts'
export { AuditEntrySchema, ProtectedCountSchema, ProtectionNoteSchema } from './key-persons.schemas.ts'
export { registerKeyPerson } from './key-persons.service.ts'
export { toAuditEntryDto } from './person-dto.ts'
export { getKeyPersonSettings } from './settings.repository.ts'
