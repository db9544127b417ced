"""Applicants' ID numbers encrypted at rest, with keyed-hash lookup columns (INT-2, CASE-10).

The data step encrypts every stored number under the first key of SERVICEHALL_FIELD_KEYS and fills the
hashes. It reads and writes the column with plain SQL (the model field would try to decrypt plaintext)
and skips rows that already decrypt, so it can be re-run. Reversible: going back decrypts with the same
keys — lose the keys and the numbers are gone, which is the point.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations, models

import servicehall.core.fieldcrypt

BATCH = 500


def _rows(cursor, table, last):
    cursor.execute(
        f"SELECT id, applicant_id_kind, applicant_id_no FROM {table} "
        f"WHERE applicant_id_no <> '' AND id > %s ORDER BY id LIMIT %s",
        [last, BATCH],
    )
    return cursor.fetchall()


def encrypt_numbers(apps, schema_editor):
    from servicehall.cases.models import id_lookup_hashes
    from servicehall.core.fieldcrypt import decrypt, encrypt

    conn = schema_editor.connection
    table = conn.ops.quote_name(apps.get_model("cases", "Case")._meta.db_table)
    last = 0
    with conn.cursor() as cursor:
        while rows := _rows(cursor, table, last):
            for pk, kind, stored in rows:
                try:
                    plain = decrypt(stored)  # already a token: a re-run
                    token = stored
                except ImproperlyConfigured:
                    plain, token = stored, encrypt(stored)
                full, tail = id_lookup_hashes(kind, plain)
                cursor.execute(
                    f"UPDATE {table} SET applicant_id_no = %s, applicant_id_hash = %s, "
                    f"applicant_id_tail_hash = %s WHERE id = %s",
                    [token, full, tail, pk],
                )
            last = rows[-1][0]


def decrypt_numbers(apps, schema_editor):
    from servicehall.core.fieldcrypt import decrypt

    conn = schema_editor.connection
    table = conn.ops.quote_name(apps.get_model("cases", "Case")._meta.db_table)
    last = 0
    with conn.cursor() as cursor:
        while rows := _rows(cursor, table, last):
            for pk, _kind, stored in rows:
                cursor.execute(f"UPDATE {table} SET applicant_id_no = %s WHERE id = %s", [decrypt(stored), pk])
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_due_provisional"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="applicant_id_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="case",
            name="applicant_id_tail_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="case",
            name="applicant_id_no",
            field=servicehall.core.fieldcrypt.EncryptedTextField(blank=True, verbose_name="证件号码"),
        ),
        migrations.RunPython(encrypt_numbers, decrypt_numbers),
    ]
