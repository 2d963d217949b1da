import os
from datetime import timedelta

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    get_jwt_identity,
    jwt_required,
    set_refresh_cookies,
    unset_jwt_cookies,
)
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
# access token in the Authorization header, refresh token in an httponly cookie
app.config["JWT_TOKEN_LOCATION"] = ["headers", "cookies"]
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=5)
app.config["JWT_REFRESH_TOKEN_EXPIRES"] = timedelta(days=7)
app.config["JWT_COOKIE_SAMESITE"] = "Lax"

db = SQLAlchemy(app)
jwt = JWTManager(app)
CORS(app, origins=[os.environ["FRONTEND_URL"]], supports_credentials=True)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(40), unique=True, nullable=False)
    password_hash = db.Column(db.String(200), nullable=False)


with app.app_context():
    db.create_all()


@jwt.invalid_token_loader
def bad_token(reason):
    return jsonify(msg="Invalid token"), 401


@jwt.unauthorized_loader
def no_token(reason):
    return jsonify(msg="Not logged in"), 401


@app.post("/auth/register")
def register():
    data = request.get_json() or {}
    if not data.get("username") or not data.get("password"):
        return jsonify(msg="username and password are required"), 400
    if User.query.filter_by(username=data["username"]).first():
        return jsonify(msg="username already taken"), 409
    db.session.add(
        User(username=data["username"], password_hash=generate_password_hash(data["password"]))
    )
    db.session.commit()
    return jsonify(msg="registered"), 201


@app.post("/auth/login")
def login():
    data = request.get_json() or {}
    user = User.query.filter_by(username=data.get("username")).first()
    if not user or not check_password_hash(user.password_hash, data.get("password") or ""):
        return jsonify(msg="Invalid username or password"), 401
    resp = jsonify(access_token=create_access_token(identity=str(user.id)))
    set_refresh_cookies(resp, create_refresh_token(identity=str(user.id)))
    return resp


@app.post("/auth/refresh")
@jwt_required(refresh=True)
def refresh():
    return jsonify(access_token=create_access_token(identity=get_jwt_identity()))


@app.post("/auth/logout")
def logout():
    resp = jsonify(msg="logged out")
    unset_jwt_cookies(resp)
    return resp


@app.get("/auth/me")
@jwt_required()
def me():
    user = db.session.get(User, int(get_jwt_identity()))
    return jsonify(id=user.id, username=user.username)
