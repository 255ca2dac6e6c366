/**
 * The password every test user gets. In its own module so the browser helpers
 * (also used by `npm run bench`) can read it without importing `test-app.ts`,
 * which lowers the password-hash cost and is refused outside vitest.
 */
export const TEST_PASSWORD = 'correct-horse-battery'
