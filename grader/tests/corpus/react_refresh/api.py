import os

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    get_jwt_identity,
    jwt_required,
)
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.getenv("DATABASE_URL")
app.config["JWT_SECRET_KEY"] = os.getenv("JWT_SECRET_KEY")

db = SQLAlchemy(app)
jwt = JWTManager(app)
CORS(app, resources={r"/api/*": {"origins": os.getenv("FRONTEND_URL")}})


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(50), unique=True, nullable=False)
    password = db.Column(db.String(200), nullable=False)

    def to_dict(self):
        return {"id": self.id, "username": self.username}


with app.app_context():
    db.create_all()


@jwt.expired_token_loader
def expired(jwt_header, jwt_payload):
    return jsonify(msg="Token expired"), 401


@app.post("/api/auth/register")
def register():
    body = request.get_json()
    username = body.get("username")
    password = body.get("password")
    if not username or not password:
        return jsonify(msg="Missing username or password"), 400
    if User.query.filter_by(username=username).first():
        return jsonify(msg="User already exists"), 409
    db.session.add(User(username=username, password=generate_password_hash(password)))
    db.session.commit()
    return jsonify(msg="Registered"), 201


@app.post("/api/auth/login")
def login():
    body = request.get_json()
    username = body.get("username")
    password = body.get("password")
    if not username or not password:
        return jsonify(msg="Missing username or password"), 400

    user = User.query.filter_by(username=username).first()
    if user is None or not check_password_hash(user.password, password):
        return jsonify(msg="Invalid credentials"), 401

    return jsonify(
        access_token=create_access_token(identity=str(user.id)),
        refresh_token=create_refresh_token(identity=str(user.id)),
    )


@app.post("/api/auth/refresh")
@jwt_required(refresh=True)
def refresh():
    return jsonify(access_token=create_access_token(identity=get_jwt_identity()))


@app.get("/api/users/me")
@jwt_required()
def me():
    user = db.session.get(User, int(get_jwt_identity()))
    return jsonify(user.to_dict())
