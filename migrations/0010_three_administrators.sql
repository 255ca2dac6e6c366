-- 等保 2.0 level 3 separation of administrative duties (三员分立).
-- The existing `admin` role keeps its key and becomes the system administrator
-- (系统管理员: users, boundaries, settings); two new roles take the duties it must
-- not hold alone: the security administrator (安全管理员: credentials, lockouts,
-- roles) and the audit administrator (审计管理员: reads the audit log, changes nothing).
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('leader', 'dispatcher', 'station', 'grid_worker', 'admin', 'security_admin', 'audit_admin'));
