"""The lesson's back end, as written: its three steps, filled in only where it leaves a blank.

Every mistake the lesson makes is kept on purpose (the grader must find them): the tutorial key,
plain-text passwords matched in the query, and the integer identity that flask-jwt-extended 4.7
refuses with 422 "Subject must be a string". CORS(app) is what react-flask-hello, the
boilerplate the lesson builds on, does.
"""

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_sqlalchemy import SQLAlchemy


def create_app(username: str, password: str) -> Flask:
    """The lesson's app, with one user (stored in plain text, as the lesson's query needs)."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    CORS(app)

    # 1) Include the JWT library in your Flask App setup
    app.config["JWT_SECRET_KEY"] = "super-secret"  # Change this "super secret" to something else!
    JWTManager(app)
    db = SQLAlchemy(app)

    class User(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        username = db.Column(db.String(80), unique=True, nullable=False)
        password = db.Column(db.String(80), nullable=False)

    with app.app_context():
        db.create_all()
        db.session.add(User(username=username, password=password))
        db.session.commit()

    # 2) Create one endpoint for generating new tokens
    @app.route("/token", methods=["POST"])
    def create_token():
        username = request.json.get("username", None)
        password = request.json.get("password", None)

        # Query your database for username and password
        user = User.query.filter_by(username=username, password=password).first()

        if user is None:
            # The user was not found on the database
            return jsonify({"msg": "Bad username or password"}), 401

        # Create a new token with the user id inside
        access_token = create_access_token(identity=user.id)
        return jsonify({"token": access_token, "user_id": user.id})

    # 3) Use the @jwt_required() decorator on private routes
    @app.route("/protected", methods=["GET"])
    @jwt_required()
    def protected():
        # Access the identity of the current user with get_jwt_identity
        current_user_id = get_jwt_identity()
        user = db.session.get(User, current_user_id)  # the lesson's User.query.get(...)

        return jsonify({"id": user.id, "username": user.username}), 200

    return app
