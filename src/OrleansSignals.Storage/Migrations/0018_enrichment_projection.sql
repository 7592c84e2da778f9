-- Enrichment projections (rebuilt by consolidation) and the workspace's customer companies.

CREATE TABLE final_leads (
    batch_item_id       bigint PRIMARY KEY REFERENCES batch_items (id) ON DELETE CASCADE,
    workspace_id        text NOT NULL,
    batch_id            uuid NOT NULL,
    first_name          text,
    last_name           text,
    full_name           text,
    email               text,
    email_verified      boolean NOT NULL,
    linkedin_url        text,
    company             text,
    company_normalized  text,
    title               text,
    source_line         int NOT NULL
);
CREATE INDEX final_leads_workspace ON final_leads (workspace_id, batch_item_id);
CREATE INDEX final_leads_email ON final_leads (workspace_id, lower(email));
CREATE INDEX final_leads_company ON final_leads (workspace_id, company_normalized);
CREATE INDEX final_leads_batch ON final_leads (batch_id, batch_item_id);

CREATE TABLE person_work_history (
    batch_item_id            bigint NOT NULL REFERENCES batch_items (id) ON DELETE CASCADE,
    ordinal                  int NOT NULL,
    workspace_id             text NOT NULL,
    batch_id                 uuid NOT NULL,
    company_name             text NOT NULL,
    company_name_normalized  text NOT NULL,
    title                    text,
    start_date               date,
    end_date                 date,
    is_current               boolean NOT NULL,
    -- Computed by consolidation: an ended stint at a company the person is not at now (no open stint
    -- there, not their current company). The "worked at a customer" query reads this flag alone.
    former                   boolean NOT NULL,
    source_result_id         bigint,
    PRIMARY KEY (batch_item_id, ordinal)
);
CREATE INDEX person_work_history_company ON person_work_history (workspace_id, company_name_normalized, batch_item_id);
CREATE INDEX person_work_history_former ON person_work_history (workspace_id, company_name_normalized, batch_item_id) WHERE former;
CREATE INDEX person_work_history_batch ON person_work_history (batch_id);

CREATE TABLE enrichment_customers (
    workspace_id     text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    value            text NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('name', 'domain')),
    name_normalized  text NOT NULL,
    PRIMARY KEY (workspace_id, value)
);
CREATE INDEX enrichment_customers_name ON enrichment_customers (workspace_id, name_normalized);
