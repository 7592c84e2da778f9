-- Orleans 10.4.x ADO.NET providers on PostgreSQL: clustering (silos and the client's gateway list),
-- reminders and grain persistence. The NuGet packages ship no SQL, so the schema lives here.
--
-- The contract comes from the dotnet/orleans PostgreSQL scripts for 10.4.x (PostgreSQL-Main.sql,
-- PostgreSQL-Clustering.sql, PostgreSQL-Reminders.sql, PostgreSQL-Persistence.sql). Orleans binds
-- parameters and reads result columns by name and type, so the OrleansQuery keys, parameter names,
-- column names, column types and column order below must not change; the bodies may be tuned.
--
-- Query texts are dollar-quoted ($q$ ... $q$) so they need no quote doubling.

-- Every provider loads its SQL from here at startup and fails if a key it knows is missing.
CREATE TABLE OrleansQuery (
    QueryKey   varchar(64)   NOT NULL,
    QueryText  varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);


---------------------------------------------------------------------------------------------------
-- Clustering
---------------------------------------------------------------------------------------------------

-- One row per cluster (DeploymentId = ClusterId). Version is the optimistic-concurrency token that
-- every membership change must bump.
CREATE TABLE OrleansMembershipVersionTable (
    DeploymentId  varchar(150)   NOT NULL,
    Timestamp     timestamptz(3) NOT NULL DEFAULT now(),
    Version       integer        NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port and generation). ProxyPort > 0 marks a gateway.
CREATE TABLE OrleansMembershipTable (
    DeploymentId  varchar(150)   NOT NULL,
    Address       varchar(45)    NOT NULL,
    Port          integer        NOT NULL,
    Generation    integer        NOT NULL,
    SiloName      varchar(150)   NOT NULL,
    HostName      varchar(150)   NOT NULL,
    Status        integer        NOT NULL,
    ProxyPort     integer        NULL,
    SuspectTimes  varchar(8000)  NULL,
    StartTime     timestamptz(3) NOT NULL,
    IAmAliveTime  timestamptz(3) NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Heartbeat. Orleans ignores the result, so this does not touch the version row.
CREATE FUNCTION update_i_am_alive_time(
    deployment_id    varchar,
    address_arg      varchar,
    port_arg         integer,
    generation_arg   integer,
    i_am_alive_time  timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE OrleansMembershipTable AS m
       SET IAmAliveTime = i_am_alive_time
     WHERE m.DeploymentId = deployment_id AND deployment_id IS NOT NULL
       AND m.Address = address_arg AND address_arg IS NOT NULL
       AND m.Port = port_arg AND port_arg IS NOT NULL
       AND m.Generation = generation_arg AND generation_arg IS NOT NULL;
END $$;

-- Returns 1 when this call created the version row, 0 when it already existed (both are fine for
-- Orleans; 0 just means another silo got there first).
CREATE FUNCTION insert_membership_version(
    DeploymentIdArg varchar)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS $$
DECLARE
    n integer := 0;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (DeploymentIdArg)
    ON CONFLICT (DeploymentId) DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN QUERY SELECT n;
END $$;

-- Adds a silo row and bumps the version, both or neither: returns 0 (and undoes the insert) when the
-- row already exists or the caller's version is stale, so Orleans re-reads and retries.
CREATE FUNCTION insert_membership(
    DeploymentIdArg  varchar,
    AddressArg       varchar,
    PortArg          integer,
    GenerationArg    integer,
    SiloNameArg      varchar,
    HostNameArg      varchar,
    StatusArg        integer,
    ProxyPortArg     integer,
    StartTimeArg     timestamptz,
    IAmAliveTimeArg  timestamptz,
    VersionArg       integer)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS $$
DECLARE
    n integer := 0;
BEGIN
    BEGIN  -- sub-block: its EXCEPTION handler rolls back the insert when the version check fails
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES
            (DeploymentIdArg, AddressArg, PortArg, GenerationArg, SiloNameArg, HostNameArg, StatusArg, ProxyPortArg,
             StartTimeArg, IAmAliveTimeArg)
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
        GET DIAGNOSTICS n = ROW_COUNT;

        UPDATE OrleansMembershipVersionTable
           SET Timestamp = now(), Version = Version + 1
         WHERE DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
           AND Version = VersionArg AND VersionArg IS NOT NULL
           AND n > 0;
        GET DIAGNOSTICS n = ROW_COUNT;

        ASSERT n <> 0, 'stale membership version or duplicate silo row';
        RETURN QUERY SELECT n;
    EXCEPTION WHEN assert_failure THEN
        RETURN QUERY SELECT 0;
    END;
END $$;

-- Changes a silo row (status, suspicions) and bumps the version, both or neither, like insert_membership.
CREATE FUNCTION update_membership(
    DeploymentIdArg  varchar,
    AddressArg       varchar,
    PortArg          integer,
    GenerationArg    integer,
    StatusArg        integer,
    SuspectTimesArg  varchar,
    IAmAliveTimeArg  timestamptz,
    VersionArg       integer)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS $$
DECLARE
    n integer := 0;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
           SET Timestamp = now(), Version = Version + 1
         WHERE DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
           AND Version = VersionArg AND VersionArg IS NOT NULL;
        GET DIAGNOSTICS n = ROW_COUNT;

        UPDATE OrleansMembershipTable
           SET Status = StatusArg, SuspectTimes = SuspectTimesArg, IAmAliveTime = IAmAliveTimeArg
         WHERE DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
           AND Address = AddressArg AND AddressArg IS NOT NULL
           AND Port = PortArg AND PortArg IS NOT NULL
           AND Generation = GenerationArg AND GenerationArg IS NOT NULL
           AND n > 0;
        GET DIAGNOSTICS n = ROW_COUNT;

        ASSERT n <> 0, 'stale membership version or unknown silo row';
        RETURN QUERY SELECT n;
    EXCEPTION WHEN assert_failure THEN
        RETURN QUERY SELECT 0;
    END;
END $$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateIAmAlivetimeKey', $q$
    SELECT * FROM update_i_am_alive_time(@DeploymentId, @Address, @Port, @Generation, @IAmAliveTime);
$q$),

('InsertMembershipVersionKey', $q$
    SELECT * FROM insert_membership_version(@DeploymentId);
$q$),

('InsertMembershipKey', $q$
    SELECT * FROM insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$),

('UpdateMembershipKey', $q$
    SELECT * FROM update_membership(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                                    @IAmAliveTime, @Version);
$q$),

-- The version row comes back even when the silo row does not exist (left join): Orleans needs the
-- version either way.
('MembershipReadRowKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
      FROM OrleansMembershipVersionTable v
      LEFT JOIN OrleansMembershipTable m
             ON m.DeploymentId = v.DeploymentId
            AND m.Address = @Address AND @Address IS NOT NULL
            AND m.Port = @Port AND @Port IS NOT NULL
            AND m.Generation = @Generation AND @Generation IS NOT NULL
     WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$),

('MembershipReadAllKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
      FROM OrleansMembershipVersionTable v
      LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
     WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$),

-- Silo rows first: they reference the version row.
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
    DELETE FROM OrleansMembershipVersionTable
     WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$),

-- What clients use to find gateways; @Status is Active (3).
('GatewaysQueryKey', $q$
    SELECT Address, ProxyPort, Generation
      FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
       AND Status = @Status AND @Status IS NOT NULL
       AND ProxyPort > 0;
$q$),

-- Prunes rows of silos that stopped heartbeating before @IAmAliveTime; never an Active (3) one.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
       AND IAmAliveTime < @IAmAliveTime
       AND Status <> 3;
$q$);


---------------------------------------------------------------------------------------------------
-- Reminders
---------------------------------------------------------------------------------------------------

-- Period is in milliseconds (bigint: long periods overflow an int). GrainHash places the reminder on
-- the silo ring; Version is the reminder's ETag.
CREATE TABLE OrleansRemindersTable (
    ServiceId     varchar(150)   NOT NULL,
    GrainId       varchar(150)   NOT NULL,
    ReminderName  varchar(150)   NOT NULL,
    StartTime     timestamptz(3) NOT NULL,
    Period        bigint         NOT NULL,
    GrainHash     integer        NOT NULL,
    Version       integer        NOT NULL,
    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Insert or replace; returns the new Version (the ETag Orleans keeps).
CREATE FUNCTION upsert_reminder_row(
    ServiceIdArg     varchar,
    GrainIdArg       varchar,
    ReminderNameArg  varchar,
    StartTimeArg     timestamptz,
    PeriodArg        bigint,
    GrainHashArg     integer)
RETURNS TABLE (version integer) LANGUAGE plpgsql AS $$
DECLARE
    v integer;
BEGIN
    INSERT INTO OrleansRemindersTable AS r
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES
        (ServiceIdArg, GrainIdArg, ReminderNameArg, StartTimeArg, PeriodArg, GrainHashArg, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = excluded.StartTime,
            Period    = excluded.Period,
            GrainHash = excluded.GrainHash,
            Version   = r.Version + 1
    RETURNING r.Version INTO STRICT v;
    RETURN QUERY SELECT v;
END $$;

-- Deletes only when the caller's ETag still matches; returns 1 on success, 0 otherwise.
CREATE FUNCTION delete_reminder_row(
    ServiceIdArg     varchar,
    GrainIdArg       varchar,
    ReminderNameArg  varchar,
    VersionArg       integer)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS $$
DECLARE
    n integer := 0;
BEGIN
    DELETE FROM OrleansRemindersTable
     WHERE ServiceId = ServiceIdArg AND ServiceIdArg IS NOT NULL
       AND GrainId = GrainIdArg AND GrainIdArg IS NOT NULL
       AND ReminderName = ReminderNameArg AND ReminderNameArg IS NOT NULL
       AND Version = VersionArg AND VersionArg IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN QUERY SELECT n;
END $$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', $q$
    SELECT * FROM upsert_reminder_row(@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash);
$q$),

('ReadReminderRowsKey', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
       AND GrainId = @GrainId AND @GrainId IS NOT NULL;
$q$),

('ReadReminderRowKey', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
       AND GrainId = @GrainId AND @GrainId IS NOT NULL
       AND ReminderName = @ReminderName AND @ReminderName IS NOT NULL;
$q$),

-- A silo's share of the ring, (BeginHash, EndHash]. Key 1 is the ordinary range, key 2 the range
-- that wraps past the end of the hash space.
('ReadRangeRows1Key', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
       AND GrainHash > @BeginHash AND @BeginHash IS NOT NULL
       AND GrainHash <= @EndHash AND @EndHash IS NOT NULL;
$q$),

('ReadRangeRows2Key', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
       AND ((GrainHash > @BeginHash AND @BeginHash IS NOT NULL)
         OR (GrainHash <= @EndHash AND @EndHash IS NOT NULL));
$q$),

('DeleteReminderRowKey', $q$
    SELECT * FROM delete_reminder_row(@ServiceId, @GrainId, @ReminderName, @Version);
$q$),

('DeleteReminderRowsKey', $q$
    DELETE FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL;
$q$);


---------------------------------------------------------------------------------------------------
-- Grain persistence
---------------------------------------------------------------------------------------------------

-- One row per grain state. There is no primary key: the provider addresses a row by hashes plus the
-- full identity, and the hashes are what the index covers. version is the ETag (NULL = never written).
CREATE TABLE OrleansStorage (
    grainidhash             integer                NOT NULL,
    grainidn0               bigint                 NOT NULL,
    grainidn1               bigint                 NOT NULL,
    graintypehash           integer                NOT NULL,
    graintypestring         character varying(512) NOT NULL,
    grainidextensionstring  character varying(512),
    serviceid               character varying(150) NOT NULL,
    payloadbinary           bytea,
    modifiedon              timestamp without time zone NOT NULL,
    version                 integer
);
CREATE INDEX ix_orleansstorage ON OrleansStorage USING btree (grainidhash, graintypehash);

-- Writes a state with an optimistic check. With a known version it updates that version only; with
-- none (state never read from storage) it inserts only if no row exists yet. Returns the new version,
-- or the unchanged one when nothing was written, which Orleans reports as InconsistentStateException.
CREATE FUNCTION writetostorage(
    _grainidhash             integer,
    _grainidn0               bigint,
    _grainidn1               bigint,
    _graintypehash           integer,
    _graintypestring         character varying,
    _grainidextensionstring  character varying,
    _serviceid               character varying,
    _grainstateversion       integer,
    _payloadbinary           bytea)
RETURNS TABLE (newgrainstateversion integer) LANGUAGE plpgsql AS $$
DECLARE
    newversion integer := _grainstateversion;
    n integer := 0;
BEGIN
    IF _grainstateversion IS NOT NULL THEN
        UPDATE OrleansStorage
           SET payloadbinary = _payloadbinary,
               modifiedon = (now() AT TIME ZONE 'utc'),
               version = version + 1
         WHERE grainidhash = _grainidhash AND _grainidhash IS NOT NULL
           AND graintypehash = _graintypehash AND _graintypehash IS NOT NULL
           AND grainidn0 = _grainidn0 AND _grainidn0 IS NOT NULL
           AND grainidn1 = _grainidn1 AND _grainidn1 IS NOT NULL
           AND graintypestring = _graintypestring AND _graintypestring IS NOT NULL
           AND grainidextensionstring IS NOT DISTINCT FROM _grainidextensionstring
           AND serviceid = _serviceid AND _serviceid IS NOT NULL
           AND version IS NOT NULL AND version = _grainstateversion;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n > 0 THEN
            newversion := _grainstateversion + 1;
        END IF;
    ELSE
        INSERT INTO OrleansStorage
            (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring,
             serviceid, payloadbinary, modifiedon, version)
        SELECT _grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring, _grainidextensionstring,
               _serviceid, _payloadbinary, (now() AT TIME ZONE 'utc'), 1
         WHERE NOT EXISTS (
               SELECT 1 FROM OrleansStorage
                WHERE grainidhash = _grainidhash AND _grainidhash IS NOT NULL
                  AND graintypehash = _graintypehash AND _graintypehash IS NOT NULL
                  AND grainidn0 = _grainidn0 AND _grainidn0 IS NOT NULL
                  AND grainidn1 = _grainidn1 AND _grainidn1 IS NOT NULL
                  AND graintypestring = _graintypestring AND _graintypestring IS NOT NULL
                  AND grainidextensionstring IS NOT DISTINCT FROM _grainidextensionstring
                  AND serviceid = _serviceid AND _serviceid IS NOT NULL);
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n > 0 THEN
            newversion := 1;
        END IF;
    END IF;

    RETURN QUERY SELECT newversion;
END $$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', $q$
    SELECT * FROM writetostorage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                                 @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
$q$),

-- Columns by position: payload, the current UTC time, version.
('ReadFromStorageKey', $q$
    SELECT payloadbinary, (now() AT TIME ZONE 'utc'), version
      FROM OrleansStorage
     WHERE grainidhash = @GrainIdHash AND @GrainIdHash IS NOT NULL
       AND graintypehash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
       AND grainidn0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
       AND grainidn1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
       AND graintypestring = @GrainTypeString AND @GrainTypeString IS NOT NULL
       AND ((@GrainIdExtensionString IS NOT NULL AND grainidextensionstring = @GrainIdExtensionString)
            OR (@GrainIdExtensionString IS NULL AND grainidextensionstring IS NULL))
       AND serviceid = @ServiceId AND @ServiceId IS NOT NULL;
$q$),

-- ClearStateAsync when the provider keeps cleared rows (the default): empties the payload, bumps the ETag.
('ClearStorageKey', $q$
    UPDATE OrleansStorage
       SET payloadbinary = NULL, version = version + 1
     WHERE grainidhash = @GrainIdHash AND @GrainIdHash IS NOT NULL
       AND graintypehash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
       AND grainidn0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
       AND grainidn1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
       AND graintypestring = @GrainTypeString AND @GrainTypeString IS NOT NULL
       AND ((@GrainIdExtensionString IS NOT NULL AND grainidextensionstring = @GrainIdExtensionString)
            OR (@GrainIdExtensionString IS NULL AND grainidextensionstring IS NULL))
       AND serviceid = @ServiceId AND @ServiceId IS NOT NULL
       AND version IS NOT NULL AND version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING version AS NewGrainStateVersion;
$q$),

-- ClearStateAsync with DeleteStateOnClear = true: removes the row; reports the ETag a clear would give.
('DeleteStorageKey', $q$
    DELETE FROM OrleansStorage
     WHERE grainidhash = @GrainIdHash AND @GrainIdHash IS NOT NULL
       AND graintypehash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
       AND grainidn0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
       AND grainidn1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
       AND graintypestring = @GrainTypeString AND @GrainTypeString IS NOT NULL
       AND ((@GrainIdExtensionString IS NOT NULL AND grainidextensionstring = @GrainIdExtensionString)
            OR (@GrainIdExtensionString IS NULL AND grainidextensionstring IS NULL))
       AND serviceid = @ServiceId AND @ServiceId IS NOT NULL
       AND version IS NOT NULL AND version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING version + 1 AS NewGrainStateVersion;
$q$);
