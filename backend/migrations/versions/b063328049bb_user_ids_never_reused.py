"""user ids are never reused; sessions of users who are gone are deleted

On SQLite an INTEGER PRIMARY KEY without AUTOINCREMENT hands the highest id out again after that
user is deleted, so a new account could inherit a deleted user's sessions and tokens. SQLite
cannot add AUTOINCREMENT to a table, so the users table is rebuilt (batch mode copies the rows,
ids included; env.py turns foreign keys off meanwhile, so the copy deletes no session).
PostgreSQL identities are never reused: there only the clean-up runs.

Revision ID: b063328049bb
Revises: b42081d86b67
Create Date: 2026-12-01 23:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b063328049bb'
down_revision = 'b42081d86b67'
branch_labels = None
depends_on = None


def upgrade():
    # Sessions (and their refresh tokens) left behind by users deleted while foreign keys were
    # not enforced: the next account with that id would otherwise inherit them.
    op.execute(
        "DELETE FROM refresh_tokens WHERE session_id NOT IN "
        "(SELECT s.id FROM auth_sessions s JOIN users u ON u.id = s.user_id)"
    )
    op.execute("DELETE FROM auth_sessions WHERE user_id NOT IN (SELECT id FROM users)")
    if op.get_context().dialect.name == "sqlite":
        with op.batch_alter_table(
            'users', recreate='always', table_kwargs={'sqlite_autoincrement': True}
        ):
            pass


def downgrade():
    if op.get_context().dialect.name == "sqlite":
        with op.batch_alter_table(
            'users', recreate='always', table_kwargs={'sqlite_autoincrement': False}
        ):
            pass
