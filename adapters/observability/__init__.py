"""Health and metrics: Prometheus counters at the shared seams, `/healthz` and `/metrics` on the
bot's HTTP server (`adapters/http`)."""
