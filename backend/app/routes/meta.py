"""About the service itself: is it healthy, and is it in demo mode."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from app.demo import DEMO_ACCOUNTS
from app.extensions import db

bp = Blueprint("meta", __name__)


@bp.get("/health")
def health() -> Any:
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        db.session.execute(db.select(1))
    except SQLAlchemyError:
        current_app.logger.exception("Health check: the database did not answer")
        db.session.rollback()
        return jsonify(msg="Database unavailable", status="error"), 503
    return jsonify(status="ok")


@bp.get("/demo")
def demo() -> Any:
    """Whether demo mode is on, and the demo accounts to show on the login page if it is."""
    enabled = current_app.config["DEMO_MODE"]
    return jsonify(enabled=enabled, accounts=DEMO_ACCOUNTS if enabled else [])
