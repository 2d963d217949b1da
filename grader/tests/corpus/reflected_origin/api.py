import os

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = os.environ.get("JWT_SECRET_KEY")
jwt = JWTManager(app)
# credentials so the fetch with cookies works too
CORS(app, supports_credentials=True)

users = {}


@app.route("/signup", methods=["POST"])
def signup():
    username = request.json.get("username")
    password = request.json.get("password")
    if not username or not password or username in users:
        return jsonify({"msg": "Cannot create that user"}), 400
    users[username] = {"id": len(users) + 1, "password": generate_password_hash(password)}
    return jsonify({"msg": "User created"}), 201


@app.route("/login", methods=["POST"])
def login():
    username = request.json.get("username")
    password = request.json.get("password")
    user = users.get(username)
    if user is None or not check_password_hash(user["password"], password or ""):
        return jsonify({"msg": "Bad username or password"}), 401
    return jsonify({"token": create_access_token(identity=username)})


@app.route("/whoami")
@jwt_required()
def whoami():
    return jsonify({"username": get_jwt_identity()})
