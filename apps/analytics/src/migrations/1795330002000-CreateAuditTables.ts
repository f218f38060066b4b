import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * audit.audit_logs: trade-bot-scratch's table plus actor_user_id (who acted, when not the subject user, e.g. an
 * admin), request_id, and event_id UNIQUE so consuming an AuditRecorded event twice stores it once.
 * resource_id is text: the audited ids are not always uuids (exchange order ids, symbols).
 * audit.system_events: the alpha catalogue's table with its valid_event_level CHECK and GIN index; event_type is
 * constrained to the seed's list plus DATA_GAP (missing candles, the seed's data_gap_detected alert); event_id
 * makes consumption idempotent as for audit logs.
 */
export class CreateAuditTables1795330002000 implements MigrationInterface {
  name = 'CreateAuditTables1795330002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit.audit_logs (
        id UUID NOT NULL,
        event_id UUID,
        user_id UUID,
        actor_user_id UUID,
        action VARCHAR(50) NOT NULL,
        resource_type VARCHAR(50),
        resource_id VARCHAR(100),
        old_values JSONB,
        new_values JSONB,
        ip_address INET,
        user_agent TEXT,
        request_id VARCHAR(100),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_audit_logs PRIMARY KEY (id),
        CONSTRAINT uq_audit_logs_event_id UNIQUE (event_id)
      )`);
    await q.query(`CREATE INDEX idx_audit_logs_user_id ON audit.audit_logs (user_id)`);
    await q.query(`CREATE INDEX idx_audit_logs_actor_user_id ON audit.audit_logs (actor_user_id)`);
    await q.query(`CREATE INDEX idx_audit_logs_created_at ON audit.audit_logs (created_at DESC)`);
    await q.query(`CREATE INDEX idx_audit_logs_resource ON audit.audit_logs (resource_type, resource_id)`);
    await q.query(`CREATE INDEX idx_audit_logs_user_time ON audit.audit_logs (user_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE audit.system_events (
        id UUID NOT NULL,
        event_id UUID,
        event_time TIMESTAMPTZ NOT NULL DEFAULT now(),
        event_type VARCHAR(50) NOT NULL,
        event_level VARCHAR(20) NOT NULL,
        bot_id UUID,
        component VARCHAR(50),
        message TEXT NOT NULL,
        details JSONB,
        symbol VARCHAR(30),
        order_id VARCHAR(100),
        trade_id VARCHAR(100),
        error_code VARCHAR(50),
        stack_trace TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_system_events PRIMARY KEY (id),
        CONSTRAINT uq_system_events_event_id UNIQUE (event_id),
        CONSTRAINT valid_event_level CHECK (event_level IN ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL')),
        CONSTRAINT valid_event_type CHECK (event_type IN ('SYSTEM_START', 'SYSTEM_STOP', 'BOT_START', 'BOT_STOP', 'CONFIG_CHANGE', 'RISK_BREACH', 'ERROR', 'WARNING', 'INFO', 'TRADE', 'ORDER', 'DATA_GAP'))
      )`);
    await q.query(`CREATE INDEX idx_events_time ON audit.system_events (event_time DESC)`);
    await q.query(`CREATE INDEX idx_events_level ON audit.system_events (event_level)`);
    await q.query(`CREATE INDEX idx_events_bot_id ON audit.system_events (bot_id)`);
    await q.query(`CREATE INDEX idx_events_type ON audit.system_events (event_type)`);
    await q.query(`CREATE INDEX idx_events_bot_time ON audit.system_events (bot_id, event_time DESC)`);
    await q.query(`CREATE INDEX idx_events_details ON audit.system_events USING GIN (details)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit.system_events`);
    await q.query(`DROP TABLE audit.audit_logs`);
  }
}
