-- A claim reads back the rows it just leased by their claim token (lease_owner): without an
-- index that read scanned every subscription, once per claimed batch. Partial: only the rows
-- leased now (or whose lease ran out unsent) are in it.
CREATE INDEX subscriptions_lease_owner ON subscriptions (lease_owner) WHERE lease_owner IS NOT NULL;
