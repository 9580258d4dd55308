"""The PostgreSQL backend: asyncpg with a connection pool, one transaction per unit of work,
numbered migrations applied under an advisory lock."""
