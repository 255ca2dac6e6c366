-- Closing a joint mediation case (联调): who closed it and why. The reason is
-- also written to the ledger of every linked dispute (`joint-case-close`).
ALTER TABLE joint_cases ADD COLUMN closed_by bigint REFERENCES users (id);
ALTER TABLE joint_cases ADD COLUMN close_reason text CHECK (close_reason IS NULL OR length(close_reason) BETWEEN 1 AND 2000);
ALTER TABLE joint_cases ADD CONSTRAINT joint_cases_closed_fields CHECK ((status = 'closed') = (closed_by IS NOT NULL AND close_reason IS NOT NULL));
