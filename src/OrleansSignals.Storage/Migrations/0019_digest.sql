-- The pipeline's notify step (docs/signals.md, "Notify"): who gets the daily digest, who asked not to, and which
-- run's digest went to whom, so that a resumed run never mails a recipient twice.

-- A step that had nothing to do says why (the notify step: nothing new, no recipients, digest disabled, mail not
-- configured). Runs created before this migration have no notify step and finish after deliver, as they did.
ALTER TABLE pipeline_run_steps ADD COLUMN reason text;

-- No row: the digest is on, with no recipients yet (so it is skipped, saying so).
CREATE TABLE workspace_notifications (
    workspace_id    text PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    digest_enabled  boolean NOT NULL,
    recipients      text[] NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Addresses (lower case) that followed a digest's unsubscribe link; excluded from every later run until the
-- recipient subscribes again through the same link.
CREATE TABLE notification_unsubscribes (
    workspace_id     text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    address          text NOT NULL,
    unsubscribed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, address)
);

-- One row per run and recipient, planned when the step starts: pending, then sending (written before the SMTP
-- transaction), then sent or refused (a 5xx for that recipient). A row left 'sending' by a crash is sent again
-- on resume: at least once, at most one duplicate per recipient (docs/decisions.md, "Digest mail").
CREATE TABLE pipeline_digest_mails (
    run_id        uuid NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    recipient     text NOT NULL,
    workspace_id  text NOT NULL,
    ordinal       int NOT NULL,
    status        text NOT NULL,
    attempts      int NOT NULL DEFAULT 0,
    error         text,
    sent_at       timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, recipient)
);
