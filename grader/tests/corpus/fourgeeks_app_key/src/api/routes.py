"""
This module takes care of starting the API Server, Loading the DB and Adding the endpoints
"""

from flask import Blueprint, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import create_access_token, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash, generate_password_hash

from api.models import User, db

api = Blueprint("api", __name__)

# Allow CORS requests to this API
CORS(api)


@api.route("/users", methods=["POST"])
def create_user():
    body = request.get_json()
    for field in ["username", "email", "password"]:
        if not body.get(field):
            return jsonify({"msg": f"{field} is required"}), 400
    exists = User.query.filter(
        (User.username == body["username"]) | (User.email == body["email"])
    ).first()
    if exists:
        return jsonify({"msg": "Username or email already in use"}), 400
    new_user = User(
        username=body["username"],
        email=body["email"],
        password=generate_password_hash(body["password"]),
        is_active=True,
    )
    db.session.add(new_user)
    db.session.commit()
    return jsonify(new_user.serialize()), 201


@api.route("/token", methods=["POST"])
def create_token():
    username = request.json.get("username")
    password = request.json.get("password")
    if not username or not password:
        return jsonify({"msg": "Missing username or password"}), 400

    user = User.query.filter_by(username=username).first()
    if not user or not check_password_hash(user.password, password):
        return jsonify({"msg": "Bad username or password"}), 401

    access_token = create_access_token(identity=str(user.id))
    return jsonify(access_token=access_token, user_id=user.id)


@api.route("/profile", methods=["GET"])
@jwt_required()
def get_profile():
    current_user_id = get_jwt_identity()
    user = User.query.get(current_user_id)
    return jsonify(user.serialize()), 200
