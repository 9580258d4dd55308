-- A worker's lease on a due daily push (several `quizbot run` processes on one database).
-- A claim sets lease_owner (that claim's own token) and lease_until (milliseconds UTC); the push
-- moves to its next day only once the platform accepted it, which clears the lease. A lease that
-- ran out (its worker died) is claimed again by any worker.
ALTER TABLE subscriptions ADD COLUMN lease_owner TEXT;
ALTER TABLE subscriptions ADD COLUMN lease_until BIGINT;
