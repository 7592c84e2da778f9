-- Keys get an id and an optional name, so that a workspace can list, add and revoke its keys without
-- ever sending a key's secret again.
ALTER TABLE api_keys ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE api_keys ADD COLUMN name text;
CREATE UNIQUE INDEX api_keys_id ON api_keys (id);
CREATE INDEX api_keys_workspace ON api_keys (workspace_id, created_at);
