"""The operation log is append-only (CASE-9): the database itself refuses to rewrite it.

PostgreSQL: UPDATE is always refused; DELETE only inside `servicehall audit archive`, which sets the
transaction-local setting `servicehall.audit_archive = 'on'` after writing the archive file.
SQLite (the local demo): UPDATE is refused; DELETE stays possible because test databases are flushed
row by row there. TRUNCATE is not covered: production grants the application role no TRUNCATE.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION servicehall_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('servicehall.audit_archive', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'core_auditentry is append-only (CASE-9): % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION servicehall_audit_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS servicehall_audit_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
BEGIN
    SELECT RAISE(ABORT, 'core_auditentry is append-only (CASE-9): UPDATE refused');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS core_auditentry_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_trail_and_grants")]

    operations = [migrations.RunPython(forward, backward)]
