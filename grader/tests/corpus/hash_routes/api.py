import os
from datetime import timedelta

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.getenv("DATABASE_URL")
app.config["JWT_SECRET_KEY"] = os.getenv("JWT_SECRET_KEY")
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=30)
db = SQLAlchemy(app)
jwt = JWTManager(app)
CORS(app, origins=[os.getenv("FRONTEND_URL")])


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), unique=True, nullable=False)
    password_hash = db.Column(db.String(256), nullable=False)


with app.app_context():
    db.create_all()


@jwt.invalid_token_loader
def invalid_token(reason):
    return jsonify(msg=reason), 401


@jwt.unauthorized_loader
def missing_token(reason):
    return jsonify(msg=reason), 401


@app.route("/signup", methods=["POST"])
def signup():
    body = request.get_json(silent=True) or {}
    if not body.get("username") or not body.get("password"):
        return jsonify(msg="username and password required"), 400
    if User.query.filter_by(username=body["username"]).first() is not None:
        return jsonify(msg="username taken"), 409
    user = User(username=body["username"], password_hash=generate_password_hash(body["password"]))
    db.session.add(user)
    db.session.commit()
    return jsonify(msg="created"), 201


@app.route("/token", methods=["POST"])
def create_token():
    body = request.get_json(silent=True) or {}
    username = body.get("username")
    password = body.get("password")
    if not username or not password:
        return jsonify(msg="username and password required"), 400
    user = User.query.filter_by(username=username).first()
    if user is None or not check_password_hash(user.password_hash, password):
        return jsonify(msg="Bad username or password"), 401
    return jsonify(token=create_access_token(identity=str(user.id))), 200


@app.route("/protected", methods=["GET"])
@jwt_required()
def protected():
    user = db.session.get(User, int(get_jwt_identity()))
    return jsonify(id=user.id, username=user.username), 200
