import type { UserRecord } from '../repositories/users.repository.ts'
import type { UserDto } from '../routes/schemas.ts'

/** The API view of a user. */
export function toUserDto(user: UserRecord): UserDto {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    stationKey: user.stationKey,
    gridIds: user.gridIds,
  }
}
