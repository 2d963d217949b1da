import os

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = os.environ.get("JWT_SECRET_KEY")
jwt = JWTManager(app)
CORS(app, origins=os.environ.get("FRONTEND_URL"))

# TODO use a real database
users = []


def find_user(username):
    for user in users:
        if user["username"] == username:
            return user
    return None


@app.route("/signup", methods=["POST"])
def signup():
    username = request.json.get("username")
    password = request.json.get("password")
    if not username or not password:
        return jsonify({"msg": "Missing username or password"}), 400
    if find_user(username):
        return jsonify({"msg": "User exists"}), 400
    users.append(
        {"id": len(users) + 1, "username": username, "password": generate_password_hash(password)}
    )
    return jsonify({"msg": "ok"}), 201


@app.route("/token", methods=["POST"])
def create_token():
    username = request.json.get("username", None)
    password = request.json.get("password", None)
    user = find_user(username)
    if user is None or not check_password_hash(user["password"], password or ""):
        return jsonify({"msg": "Bad username or password"}), 401
    access_token = create_access_token(identity=str(user["id"]))
    return jsonify({"token": access_token, "user_id": user["id"]})


@app.route("/protected", methods=["GET"])
@jwt_required()
def protected():
    current_user_id = get_jwt_identity()
    user = next((u for u in users if str(u["id"]) == current_user_id), None)
    return jsonify({"id": user["id"], "username": user["username"]}), 200
