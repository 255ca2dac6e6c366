-- The dispute snapshot's block reads (0027, dispute-snapshot.ts) as index-only
-- range scans: a block is the disputes of 16,384 consecutive ids. Without it
-- the planner read a block through the time-ordered covering index of 0024,
-- every dispute of the county filtered by id (80–170 ms a block at a million
-- cases), since by the primary key each of the ~7k disputes of a block lies on
-- its own heap page (the table is in tile order, 0025). The whole first read
-- uses it too, in id order.
CREATE INDEX cases_dispute_blocks ON cases (id)
  INCLUDE (utm_x_meters, utm_y_meters, reported_at, village_id, town_id) WHERE kind = 'dispute';

ANALYZE cases;
