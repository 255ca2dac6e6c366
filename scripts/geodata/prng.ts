/** The generator of the geodata is the one the activity sample uses: one mulberry32 in the repository. */
export { mulberry32, type Rng } from '../../server/seed/activity/activity-rng.ts'
