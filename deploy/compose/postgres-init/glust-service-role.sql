-- Run once by the postgres image when it creates the database (docker-entrypoint-initdb.d):
-- the login role Glust's ingest and queries connect as (GLUST_DB_SERVICE_USER). It owns nothing;
-- Glust, as the owner glust, grants it what it needs after each migration, and the tenant
-- policies bind it (docs/operations.md#database-roles).
CREATE ROLE glust_service LOGIN PASSWORD 'glust-service' NOSUPERUSER NOBYPASSRLS;
