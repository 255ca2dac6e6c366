-- PostGIS must exist before any geometry column. On PGlite the extension is
-- loaded by the engine and created here like on a real server.
CREATE EXTENSION IF NOT EXISTS postgis;
