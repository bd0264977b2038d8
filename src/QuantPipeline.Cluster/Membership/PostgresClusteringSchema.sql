-- Orleans ADO.NET clustering on PostgreSQL: the tables the membership protocol reads and writes, and the named
-- queries (OrleansQuery) the provider loads at start-up. Written to be run again and again: tables only when
-- missing, functions replaced, queries upserted. The provider reads columns and binds parameters by name, so
-- those names are the contract; everything else here is ours.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey varchar(64) NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

-- One row per cluster: a version number every membership change must advance (optimistic concurrency).
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL,
    Timestamp timestamptz(3) NOT NULL DEFAULT now(),
    Version integer NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port, generation).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    Address varchar(45) NOT NULL,
    Port integer NOT NULL,
    Generation integer NOT NULL,
    SiloName varchar(150) NOT NULL,
    HostName varchar(150) NOT NULL,
    Status integer NOT NULL,
    ProxyPort integer NULL,
    SuspectTimes varchar(8000) NULL,
    StartTime timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Adds a silo row and advances the version in one step; returns 1 when both happened, 0 (and changes nothing)
-- when the row already exists or the version moved on meanwhile.
CREATE OR REPLACE FUNCTION qp_orleans_insert_member(
    p_deployment varchar, p_address varchar, p_port integer, p_generation integer, p_silo_name varchar,
    p_host_name varchar, p_status integer, p_proxy_port integer, p_start timestamptz, p_alive timestamptz,
    p_version integer)
RETURNS TABLE(row_count integer) AS $body$
DECLARE
    inserted integer;
    advanced integer;
BEGIN
    INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status,
                                        ProxyPort, StartTime, IAmAliveTime)
    VALUES (p_deployment, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
            p_start, p_alive)
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    IF inserted = 0 THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;
    UPDATE OrleansMembershipVersionTable SET Timestamp = now(), Version = Version + 1
    WHERE DeploymentId = p_deployment AND Version = p_version;
    GET DIAGNOSTICS advanced = ROW_COUNT;
    IF advanced = 0 THEN
        -- Undo the insert: the caller read a stale version and will retry with a fresh table.
        DELETE FROM OrleansMembershipTable
        WHERE DeploymentId = p_deployment AND Address = p_address AND Port = p_port AND Generation = p_generation;
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;
    RETURN QUERY SELECT 1;
END
$body$ LANGUAGE plpgsql;

-- Changes a silo row and advances the version in one step; 1 when both happened, else 0 and nothing changed.
CREATE OR REPLACE FUNCTION qp_orleans_update_member(
    p_deployment varchar, p_address varchar, p_port integer, p_generation integer, p_status integer,
    p_suspect_times varchar, p_alive timestamptz, p_version integer)
RETURNS TABLE(row_count integer) AS $body$
DECLARE
    advanced integer;
    changed integer;
BEGIN
    UPDATE OrleansMembershipVersionTable SET Timestamp = now(), Version = Version + 1
    WHERE DeploymentId = p_deployment AND Version = p_version;
    GET DIAGNOSTICS advanced = ROW_COUNT;
    IF advanced = 0 THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;
    UPDATE OrleansMembershipTable
    SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_alive
    WHERE DeploymentId = p_deployment AND Address = p_address AND Port = p_port AND Generation = p_generation;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed = 0 THEN
        -- No such silo: put the version back so the table is exactly as before.
        UPDATE OrleansMembershipVersionTable SET Version = Version - 1 WHERE DeploymentId = p_deployment;
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;
    RETURN QUERY SELECT 1;
END
$body$ LANGUAGE plpgsql;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateIAmAlivetimeKey', '
    UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
'),
('InsertMembershipVersionKey', '
    WITH added AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING RETURNING 1)
    SELECT count(*)::integer AS row_count FROM added;
'),
('InsertMembershipKey', '
    SELECT * FROM qp_orleans_insert_member(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
'),
('UpdateMembershipKey', '
    SELECT * FROM qp_orleans_update_member(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
        @IAmAliveTime, @Version);
'),
('MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT OUTER JOIN OrleansMembershipTable m ON v.DeploymentId = m.DeploymentId
        AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;
'),
('MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT OUTER JOIN OrleansMembershipTable m ON v.DeploymentId = m.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;
'),
('DeleteMembershipTableEntriesKey', '
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
'),
('GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
'),
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status != 3;
'),
('CleanupDefunctSiloEntryKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
