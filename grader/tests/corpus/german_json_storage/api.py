import os

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
db = SQLAlchemy(app)
jwt = JWTManager(app)
CORS(app, origins=[os.environ["FRONTEND_URL"]])


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), unique=True, nullable=False)
    password_hash = db.Column(db.String(256), nullable=False)

    def to_json(self):
        return {"id": self.id, "username": self.username}


with app.app_context():
    db.create_all()


@app.post("/api/auth/register")
def register():
    data = request.get_json(silent=True) or {}
    if not data.get("username") or not data.get("password"):
        return jsonify(msg="Benutzername und Passwort erforderlich"), 400
    user = User(username=data["username"], password_hash=generate_password_hash(data["password"]))
    db.session.add(user)
    db.session.commit()
    return jsonify(user.to_json()), 201


@app.post("/api/auth/login")
def login():
    data = request.get_json(silent=True) or {}
    user = User.query.filter_by(username=data.get("username")).first()
    if user is None or not check_password_hash(user.password_hash, data.get("password") or ""):
        return jsonify(msg="Benutzername oder Passwort falsch"), 401
    return jsonify(access_token=create_access_token(identity=str(user.id)), user=user.to_json())


@app.get("/api/auth/me")
@jwt_required()
def me():
    return jsonify(db.session.get(User, int(get_jwt_identity())).to_json())
