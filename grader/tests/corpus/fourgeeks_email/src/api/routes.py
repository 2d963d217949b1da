"""
This module takes care of starting the API Server, Loading the DB and Adding the endpoints
"""

from flask import Blueprint, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import create_access_token, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash, generate_password_hash

from api.models import User, db
from api.utils import APIException

api = Blueprint("api", __name__)

# Allow CORS requests to this API
CORS(api)


@api.route("/signup", methods=["POST"])
def signup():
    body = request.get_json()
    if body is None or not body.get("email") or not body.get("password"):
        raise APIException("Email and password are required", status_code=400)
    if User.query.filter_by(email=body["email"]).first():
        raise APIException("User already exists", status_code=400)
    user = User(
        email=body["email"], password=generate_password_hash(body["password"]), is_active=True
    )
    db.session.add(user)
    db.session.commit()
    return jsonify(user.serialize()), 201


@api.route("/login", methods=["POST"])
def login():
    email = request.json.get("email", None)
    password = request.json.get("password", None)
    if not email or not password:
        return jsonify({"msg": "Email and password are required"}), 400

    user = User.query.filter_by(email=email).first()
    if user is None or not check_password_hash(user.password, password):
        return jsonify({"msg": "Bad email or password"}), 401

    access_token = create_access_token(identity=str(user.id))
    return jsonify({"token": access_token, "user": user.serialize()}), 200


@api.route("/private", methods=["GET"])
@jwt_required()
def private():
    user = db.session.get(User, int(get_jwt_identity()))
    if user is None:
        return jsonify({"msg": "User not found"}), 404
    return jsonify({"user": user.serialize()}), 200
