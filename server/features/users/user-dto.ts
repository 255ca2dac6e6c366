import type { UserRecord } from '../../core/auth/users.repository.ts'
import type { UserDto } from '../../core/http/common.schemas.ts'

/** The API view of a user. */
export function toUserDto(user: UserRecord): UserDto {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    stationKey: user.stationKey,
    gridIds: user.gridIds,
    townId: user.townId,
  }
}
