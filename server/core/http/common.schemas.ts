import { Type, type Static } from 'typebox'

/** JSON error body of every 4xx/5xx answer. */
export const ErrorSchema = Type.Object(
  { code: Type.String({ description: 'Stable machine-readable code' }), message: Type.String({ description: 'Localised, human-readable message' }) },
  { additionalProperties: true },
)
/** {@link ErrorSchema} as a type: the body of every non-2xx answer. */
export type ApiError = Static<typeof ErrorSchema>

/** A role name. */
export const RoleSchema = Type.Union([
  Type.Literal('leader'),
  Type.Literal('dispatcher'),
  Type.Literal('station'),
  Type.Literal('grid_worker'),
  Type.Literal('admin'),
  Type.Literal('security_admin'),
  Type.Literal('audit_admin'),
  Type.Literal('county_leader'),
  Type.Literal('county_dispatcher'),
])
/** {@link RoleSchema} as a type. */
export type Role = Static<typeof RoleSchema>

/** A user as the API shows it (never with a password hash). */
export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  stationKey: Type.Union([Type.String(), Type.Null()]),
  gridIds: Type.Array(Type.Integer()),
  townId: Type.Union([Type.Integer(), Type.Null()], { description: 'The town of the user; null for county users' }),
})
export type UserDto = Static<typeof UserSchema>

/** Standard error responses, for route schemas. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorSchema]))
}

/** A newly issued API token; the secret appears only in this answer. */
export const TokenSchema = Type.Object({
  id: Type.Integer(),
  userId: Type.Integer(),
  name: Type.String(),
  token: Type.String({ description: 'Send as "Authorization: Bearer <token>"; it cannot be shown again' }),
  createdAt: Type.String(),
  expiresAt: Type.String({ description: 'When the token stops working (tokens always expire)' }),
  issuedBy: Type.Union([Type.Integer(), Type.Null()], { description: 'Administrator who issued it for the user; null when the user made it' }),
})
